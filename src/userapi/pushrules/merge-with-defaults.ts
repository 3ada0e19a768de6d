/**
 * Builds the ruleset a user sees (`GET /pushrules/`, the `m.push_rules` account data) from what is
 * stored and the server defaults. Priority (spec "Predefined Rules"): server-default rules come
 * after the user's rules of the same kind, except `.m.rule.master`, which is above everything.
 */
import { isJsonObject } from '../../matrix/json.js';
import { defaultPushRules } from './default-push-rules.js';
import { isValidPushAction } from './push-actions.js';
import { PUSH_RULE_KINDS, type PushCondition, type PushRule, type PushRuleKind, type PushRuleset, type StoredPushRules } from './push-rule-types.js';

/** Rules per kind, as mutable lists for building a ruleset. */
export type RulesByKind = Record<PushRuleKind, PushRule[]>;

/** The rule above even the user's own rules. */
const MASTER_RULE_ID = '.m.rule.master';

/** The stored rules of `kind`, as JSON of unknown quality (account data is only loosely typed). */
function storedRules(stored: StoredPushRules | undefined, kind: PushRuleKind): readonly unknown[] {
  const global: unknown = isJsonObject(stored) ? stored.global : undefined;
  const rules = isJsonObject(global) ? global[kind] : undefined;
  return Array.isArray(rules) ? rules : [];
}

/** A stored user rule normalised to its kind's fields, or undefined when it is malformed. */
function readUserRule(kind: PushRuleKind, raw: unknown): PushRule | undefined {
  if (!isJsonObject(raw)) return undefined;
  const { rule_id: ruleId, actions, enabled } = raw;
  if (typeof ruleId !== 'string' || ruleId === '' || ruleId.startsWith('.')) return undefined;
  if (!Array.isArray(actions) || !actions.every(isValidPushAction)) return undefined;
  const base: PushRule = { rule_id: ruleId, default: false, enabled: enabled !== false, actions };
  if (kind === 'override' || kind === 'underride') {
    const conditions = raw.conditions ?? [];
    if (!Array.isArray(conditions) || !conditions.every((c) => isJsonObject(c) && typeof c.kind === 'string')) return undefined;
    return { ...base, conditions: conditions as PushCondition[] };
  }
  if (kind === 'content') return typeof raw.pattern === 'string' ? { ...base, pattern: raw.pattern } : undefined;
  return base;
}

/** The user's own rules in their stored order; malformed entries and repeated IDs are dropped. */
export function userRulesOf(stored: StoredPushRules | undefined): RulesByKind {
  const out = { override: [], content: [], room: [], sender: [], underride: [] } as RulesByKind;
  for (const kind of PUSH_RULE_KINDS) {
    const seen = new Set<string>();
    for (const raw of storedRules(stored, kind)) {
      const rule = readUserRule(kind, raw);
      if (!rule || seen.has(rule.rule_id)) continue;
      seen.add(rule.rule_id);
      out[kind].push(rule);
    }
  }
  return out;
}

/**
 * The server defaults for `userId`, with the `enabled` and `actions` the user set on them (the
 * only parts of a default rule a user may change). Conditions always come from the current
 * defaults, and defaults the server no longer has are dropped.
 */
export function defaultRulesOf(stored: StoredPushRules | undefined, userId: string): RulesByKind {
  const defaults = defaultPushRules(userId);
  const out = { override: [], content: [], room: [], sender: [], underride: [] } as RulesByKind;
  for (const kind of PUSH_RULE_KINDS) {
    const changed = new Map<string, Readonly<Record<string, unknown>>>();
    for (const raw of storedRules(stored, kind)) {
      if (isJsonObject(raw) && typeof raw.rule_id === 'string' && !changed.has(raw.rule_id)) changed.set(raw.rule_id, raw);
    }
    for (const rule of defaults[kind]) {
      const user = changed.get(rule.rule_id);
      const enabled = typeof user?.enabled === 'boolean' ? user.enabled : rule.enabled;
      const actions = Array.isArray(user?.actions) && user.actions.every(isValidPushAction) ? user.actions : rule.actions;
      out[kind].push({ ...rule, enabled, actions });
    }
  }
  return out;
}

/** Puts user and default rules in the spec's priority order. */
export function assembleRuleset(user: RulesByKind, defaults: RulesByKind): PushRuleset {
  const isMaster = (r: PushRule): boolean => r.rule_id === MASTER_RULE_ID;
  const merged = (kind: PushRuleKind): PushRule[] => [...user[kind], ...defaults[kind]];
  return {
    override: [...defaults.override.filter(isMaster), ...user.override, ...defaults.override.filter((r) => !isMaster(r))],
    content: merged('content'),
    room: merged('room'),
    sender: merged('sender'),
    underride: merged('underride'),
  };
}

/**
 * The user's whole ruleset: their own rules (from `m.push_rules` account data, absent for a new
 * user) with the server defaults in their spec positions and the user's changes to them applied.
 */
export function mergeWithDefaults(stored: StoredPushRules | undefined, userId: string): PushRuleset {
  return assembleRuleset(userRulesOf(stored), defaultRulesOf(stored, userId));
}

/**
 * Reads `m.push_rules` account data content as {@link StoredPushRules}, or undefined when there is
 * none. Only the outer shape is checked; {@link mergeWithDefaults} skips malformed rules.
 */
export function asStoredPushRules(content: Readonly<Record<string, unknown>> | null | undefined): StoredPushRules | undefined {
  if (!isJsonObject(content) || !isJsonObject(content.global)) return undefined;
  // Only the outer shape is known here; the rules inside are checked one by one when merged.
  return content as unknown as StoredPushRules;
}
