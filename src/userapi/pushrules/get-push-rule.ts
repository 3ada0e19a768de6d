/** Reads one rule out of a ruleset, for the GET routes of a rule, its `enabled` and its `actions`. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isPushRuleKind, type PushRule, type PushRuleKind, type PushRuleset } from './push-rule-types.js';

/**
 * The rule `ruleId` of `kind` in `ruleset` (as built by `mergeWithDefaults`).
 *
 * @throws MatrixError 404 `M_NOT_FOUND` when there is no such rule; 400 `M_INVALID_PARAM` for an
 *   unknown kind.
 */
export function getPushRule(ruleset: PushRuleset, kind: PushRuleKind, ruleId: string): PushRule {
  if (!isPushRuleKind(kind)) throw MatrixError.invalidParam(`Unknown push rule kind ${String(kind)}`);
  const rule = ruleset[kind].find((r) => r.rule_id === ruleId);
  if (!rule) throw MatrixError.notFound('The push rule was not found.');
  return rule;
}
