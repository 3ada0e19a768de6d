/**
 * The outcome of an authorisation check, naming the spec rule that decided so logs, tests and
 * `M_FORBIDDEN` messages can say *why* an event was refused.
 */

/**
 * `allowed: true`, or `allowed: false` with the rule that refused the event.
 * `rule` is a short stable identifier (`"m.room.member/join/banned"`); `reason` is a human message
 * that may reach clients as the text of `M_FORBIDDEN`. An allowed decision may also name the rule
 * that allowed it (useful in tests and traces); callers must not depend on it.
 */
export type AuthDecision =
  | { readonly allowed: true; readonly rule?: string }
  | { readonly allowed: false; readonly rule: string; readonly reason: string };

/** An allowed decision naming the rule that allowed it. */
export function allow(rule: string): AuthDecision {
  return { allowed: true, rule };
}

/** A denied decision. */
export function deny(rule: string, reason: string): AuthDecision {
  return { allowed: false, rule, reason };
}
