/**
 * Push rules, without I/O: the server defaults, merging them with what a user stored, applying
 * a client's change, and evaluating a ruleset for an event. The userapi stores the result as the
 * user's `m.push_rules` account data.
 */
export { applyPushRuleUpdate, type PushRuleUpdate } from './apply-push-rule-update.js';
export { defaultPushRules } from './default-push-rules.js';
export { evaluateCondition, type PushEvaluationContext, type PushEvent } from './evaluate-condition.js';
export { evaluatePushRules, type PushRuleMatch } from './evaluate-push-rules.js';
export { getPushRule } from './get-push-rule.js';
export { asStoredPushRules, mergeWithDefaults } from './merge-with-defaults.js';
export { pushActionEffects, stripHistoricalActions, type PushActionEffects } from './push-actions.js';
export {
  isPushRuleKind,
  PUSH_RULE_KINDS,
  type PushAction,
  type PushCondition,
  type PushRule,
  type PushRuleKind,
  type PushRuleset,
  type StoredPushRules,
} from './push-rule-types.js';
