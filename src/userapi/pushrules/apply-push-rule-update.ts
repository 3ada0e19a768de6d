/**
 * One change to a user's push rules (the PUT/DELETE routes of `/pushrules/global/{kind}/{ruleId}`),
 * applied to the stored ruleset. Pure: the caller reads `m.push_rules` account data, calls this,
 * and writes the result back.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformPushRuleUpdateRequest } from '../api.js';
import { assembleRuleset, defaultRulesOf, userRulesOf, type RulesByKind } from './merge-with-defaults.js';
import { isPushRuleKind, type PushRule, type StoredPushRules } from './push-rule-types.js';
import { buildUserRule, checkUserRuleId, validateActions } from './validate-push-rule.js';

/** The change: which rule, and what to do to it. */
export type PushRuleUpdate = Pick<PerformPushRuleUpdateRequest, 'kind' | 'ruleId' | 'op'>;

type PutOp = Extract<PushRuleUpdate['op'], { type: 'put' }>;

function ruleNotFound(): MatrixError {
  return MatrixError.notFound('The push rule was not found.');
}

/**
 * Puts `rule` into the user's `list`. With `before` (which wins over `after`, as the spec says) or
 * `after`, it is moved next to that user rule; otherwise an existing rule keeps its place and a new
 * one becomes the user's most important rule of its kind.
 */
function placeRule(list: PushRule[], rule: PushRule, op: PutOp, defaults: readonly PushRule[]): void {
  const anchor = op.before ?? op.after;
  const at = list.findIndex((r) => r.rule_id === rule.rule_id);
  if (anchor === undefined) {
    if (at >= 0) list[at] = rule;
    else list.unshift(rule);
    return;
  }
  if (defaults.some((r) => r.rule_id === anchor)) {
    throw MatrixError.invalidParam('A rule cannot be placed relative to a server-default rule');
  }
  if (at >= 0) list.splice(at, 1);
  const anchorAt = list.findIndex((r) => r.rule_id === anchor);
  // The spec's own example of this error: 400 M_UNKNOWN "before/after rule not found: …".
  if (anchorAt < 0) throw MatrixError.unknown(`before/after rule not found: ${anchor}`);
  list.splice(op.before !== undefined ? anchorAt : anchorAt + 1, 0, rule);
}

/** Replaces the rule `ruleId` in whichever list holds it (user or default), or throws 404. */
function changeRule(lists: readonly PushRule[][], ruleId: string, change: (r: PushRule) => PushRule): void {
  for (const list of lists) {
    const at = list.findIndex((r) => r.rule_id === ruleId);
    if (at >= 0) {
      list[at] = change(list[at] as PushRule);
      return;
    }
  }
  throw ruleNotFound();
}

function applyOp(user: RulesByKind, defaults: RulesByKind, update: PushRuleUpdate): void {
  const { kind, ruleId, op } = update;
  const list = user[kind];
  switch (op.type) {
    case 'put': {
      checkUserRuleId(kind, ruleId);
      const existing = list.find((r) => r.rule_id === ruleId);
      // A new rule is enabled (spec); an updated one keeps its enabled state.
      placeRule(list, buildUserRule(kind, ruleId, op.rule, existing?.enabled ?? true), op, defaults[kind]);
      return;
    }
    case 'delete': {
      if (ruleId.startsWith('.')) throw MatrixError.invalidParam('Server-default rules cannot be deleted');
      const at = list.findIndex((r) => r.rule_id === ruleId);
      if (at < 0) throw ruleNotFound();
      list.splice(at, 1);
      return;
    }
    case 'enabled': {
      if (typeof op.enabled !== 'boolean') throw MatrixError.badJson('"enabled" must be a boolean');
      const enabled = op.enabled;
      changeRule([list, defaults[kind]], ruleId, (r) => ({ ...r, enabled }));
      return;
    }
    case 'actions': {
      const actions = validateActions(op.actions);
      changeRule([list, defaults[kind]], ruleId, (r) => ({ ...r, actions }));
      return;
    }
  }
}

/**
 * Applies `update` to the stored rules of `userId` and returns the new content for `m.push_rules`.
 * Server-default rules may only have `enabled`/`actions` changed.
 *
 * @throws MatrixError 404 `M_NOT_FOUND` for an unknown rule (delete, enabled, actions);
 *   400 `M_INVALID_PARAM` for a rule ID a client may not use, or `before`/`after` naming a
 *   server-default rule; 400 `M_UNKNOWN` for `before`/`after` naming no rule; 400 `M_BAD_JSON`
 *   for a malformed rule body or actions.
 */
export function applyPushRuleUpdate(current: StoredPushRules | undefined, userId: string, update: PushRuleUpdate): StoredPushRules {
  if (!isPushRuleKind(update.kind)) throw MatrixError.invalidParam(`Unknown push rule kind ${String(update.kind)}`);
  const user = userRulesOf(current);
  const defaults = defaultRulesOf(current, userId);
  applyOp(user, defaults, update);
  return { global: assembleRuleset(user, defaults) };
}
