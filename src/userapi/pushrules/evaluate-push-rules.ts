/**
 * Finds the rule that decides whether and how an event notifies a user (spec "Push Rules"):
 * kinds in priority order, rules in list order, the first enabled match wins.
 */
import { globMatch } from './glob.js';
import { lookupProperty } from '../../matrix/property-path.js';
import { stripHistoricalActions } from './push-actions.js';
import { PUSH_RULE_KINDS, type PushAction, type PushRule, type PushRuleKind, type PushRuleset } from './push-rule-types.js';
import { evaluateCondition, type PushEvaluationContext, type PushEvent } from './evaluate-condition.js';

/** The rule that matched and what it says to do. */
export type PushRuleMatch = {
  readonly kind: PushRuleKind;
  readonly ruleId: string;
  /** The rule's actions without the historical ones (`dont_notify`, `coalesce`). */
  readonly actions: readonly PushAction[];
};

/** Whether `rule` of `kind` matches: room/sender rules by ID, content rules on the body, others by conditions. */
function ruleMatches(kind: PushRuleKind, rule: PushRule, event: PushEvent, ctx: PushEvaluationContext): boolean {
  switch (kind) {
    case 'room':
      return event.room_id === rule.rule_id;
    case 'sender':
      return event.sender === rule.rule_id;
    case 'content': {
      const body = lookupProperty(event, ['content', 'body']);
      return typeof rule.pattern === 'string' && typeof body === 'string' && globMatch(rule.pattern, body, { words: true });
    }
    case 'override':
    case 'underride':
      return (rule.conditions ?? []).every((c) => evaluateCondition(c, event, ctx));
  }
}

/**
 * Evaluates `ruleset` (as built by `mergeWithDefaults`) for `event` on behalf of `ctx.userId`.
 * Returns the first matching enabled rule, or null when none matches, in which case there is no
 * notification. Events the user sent never notify them (spec), so those return null too.
 * An empty `actions` list on a match means "matched, don't notify".
 */
export function evaluatePushRules(ruleset: PushRuleset, event: PushEvent, ctx: PushEvaluationContext): PushRuleMatch | null {
  if (event.sender === ctx.userId) return null;
  for (const kind of PUSH_RULE_KINDS) {
    for (const rule of ruleset[kind]) {
      if (rule.enabled && ruleMatches(kind, rule, event, ctx)) {
        return { kind, ruleId: rule.rule_id, actions: stripHistoricalActions(rule.actions) };
      }
    }
  }
  return null;
}
