/**
 * The data shapes of push rules (spec "Push Rules", OpenAPI `PushRule`, `PushCondition`,
 * `PushRuleset`). Declared as type aliases of plain JSON objects, not interfaces, so a ruleset is
 * assignable to the `Record<string, unknown>` account-data content it is stored as.
 */
import type { JsonObject, JsonValue } from '../../matrix/json.js';

/** The five kinds of rule. */
export type PushRuleKind = 'override' | 'content' | 'room' | 'sender' | 'underride';

/** The kinds in the order the spec checks them: the first matching rule of the first kind wins. */
export const PUSH_RULE_KINDS: readonly PushRuleKind[] = ['override', 'content', 'room', 'sender', 'underride'];

/** Whether `kind` names a rule kind (for values that crossed a process boundary). */
export function isPushRuleKind(kind: unknown): kind is PushRuleKind {
  return typeof kind === 'string' && (PUSH_RULE_KINDS as readonly string[]).includes(kind);
}

/**
 * An action: a bare string (`notify`, or the historical `dont_notify`/`coalesce`) or an object
 * such as `{set_tweak: 'sound', value: 'default'}`.
 */
export type PushAction = string | JsonObject;

/**
 * A condition of an `override`/`underride` rule. Only `kind` is common; the other parameters
 * (`key`, `pattern`, `value`, `is`) depend on it. Unknown kinds are kept as sent: the spec says
 * they never match, not that they are invalid.
 */
export type PushCondition = {
  /** `event_match`, `event_property_is`, `room_member_count` … */
  readonly kind: string;
  /** The kind's parameters. */
  readonly [param: string]: JsonValue;
};

/** One rule as clients see it. */
export type PushRule = {
  /** Unique within its kind; server-default rules start with `.`. */
  readonly rule_id: string;
  /** Whether this is a server-default rule. */
  readonly default: boolean;
  /** Disabled rules never match. */
  readonly enabled: boolean;
  /** What to do when the rule matches. */
  readonly actions: readonly PushAction[];
  /** `override`/`underride` only: all must hold; an empty list always matches. */
  readonly conditions?: readonly PushCondition[];
  /** `content` only: the glob matched against `content.body` at word boundaries. */
  readonly pattern?: string;
};

/** A whole ruleset: the `global` value of `GET /pushrules/` and of the `m.push_rules` event. */
export type PushRuleset = {
  readonly override: readonly PushRule[];
  readonly content: readonly PushRule[];
  readonly room: readonly PushRule[];
  readonly sender: readonly PushRule[];
  readonly underride: readonly PushRule[];
};

/**
 * The content of the user's `m.push_rules` account data: exactly the spec's event content,
 * `{global: ruleset}`, server-default rules included (with the user's `enabled`/`actions`), so
 * `/sync` can hand it to clients unchanged. When read back, only the user's own rules and the
 * `enabled`/`actions` of default rules are taken from it; the defaults' conditions always come
 * from `defaultPushRules`, so a server upgrade that changes them takes effect.
 */
export type StoredPushRules = {
  readonly global: PushRuleset;
};
