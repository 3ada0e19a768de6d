/**
 * Walks the `auth_events` graph: the events given plus everything reachable from them.
 */
import type { ResolutionContext } from './resolution-context.js';

/**
 * The given events and their whole auth chains, as event IDs. Events the loader doesn't have are
 * left out (and not walked past). Walking stops at events in `stopAt`, which must be closed under
 * `auth_events` itself (everything reachable from it is in it), so nothing is missed.
 */
export function authClosure(
  ctx: ResolutionContext,
  starts: Iterable<string>,
  stopAt?: ReadonlySet<string>,
): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const id of starts) {
    if (!seen.has(id) && !stopAt?.has(id)) {
      seen.add(id);
      stack.push(id);
    }
  }
  const out = new Set<string>();
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const event = ctx.maybeEvent(id);
    if (event === undefined) continue;
    out.add(id);
    for (const a of event.authEvents) {
      if (seen.has(a) || stopAt?.has(a)) continue;
      seen.add(a);
      stack.push(a);
    }
  }
  return out;
}
