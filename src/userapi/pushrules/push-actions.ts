/**
 * Push rule actions: which are valid on input, which are ignored (the historical `dont_notify`
 * and `coalesce`), and what a list of actions amounts to for a notification.
 */
import type { JsonValue } from '../../matrix/json.js';
import type { PushAction } from './push-rule-types.js';

/** Actions of older spec versions that servers MUST accept and then ignore. */
const HISTORICAL_ACTIONS: ReadonlySet<string> = new Set(['dont_notify', 'coalesce']);

/** Whether `action` is well-formed: a known string action or an object with a `set_tweak` name. */
export function isValidPushAction(action: unknown): action is PushAction {
  if (typeof action === 'string') return action === 'notify' || HISTORICAL_ACTIONS.has(action);
  return typeof action === 'object' && action !== null && !Array.isArray(action) && typeof (action as Record<string, unknown>).set_tweak === 'string';
}

/**
 * The actions without the historical ones, which the spec says to ignore, so `['dont_notify']`
 * is the same as `[]`. Stored rules keep what the client sent; evaluation strips.
 */
export function stripHistoricalActions(actions: readonly PushAction[]): PushAction[] {
  return actions.filter((a) => typeof a !== 'string' || !HISTORICAL_ACTIONS.has(a));
}

/** What a list of actions means for one notification. */
export interface PushActionEffects {
  /** A `notify` action is present. */
  readonly notify: boolean;
  /** The `highlight` tweak: `true` when given without a value, `false` when absent. */
  readonly highlight: boolean;
  /** Every tweak by name (last one wins), to pass on to the push gateway. */
  readonly tweaks: Readonly<Record<string, JsonValue>>;
}

/** Reads the effects of `actions` (spec "Actions": `notify` and `set_tweak`). */
export function pushActionEffects(actions: readonly PushAction[]): PushActionEffects {
  // A Map, so a tweak named `__proto__` is just a name.
  const tweaks = new Map<string, JsonValue>();
  let notify = false;
  for (const action of actions) {
    if (action === 'notify') notify = true;
    else if (typeof action === 'object' && typeof action.set_tweak === 'string') {
      const value = action.value;
      // A highlight tweak without a value means true; other tweaks without one carry nothing.
      if (value !== undefined) tweaks.set(action.set_tweak, value);
      else if (action.set_tweak === 'highlight') tweaks.set('highlight', true);
    }
  }
  return { notify, highlight: tweaks.get('highlight') === true, tweaks: Object.fromEntries(tweaks) };
}
