/**
 * The conflicted state subgraph of state resolution v2.1 (room v12): every event on an
 * `auth_events` path from one conflicted event to another, endpoints included. Replaying these
 * events stops a fork that cites old auth events from resetting state (MSC4297).
 */
import { authClosure } from './auth-closure.js';
import type { ResolutionContext } from './resolution-context.js';

/**
 * An event is on such a path when a conflicted event reaches it and it reaches a conflicted
 * event. The first set is the closure of the conflicted events; the second is computed over that
 * closure with one memoised depth-first pass, so the cost is linear in the closure's size.
 */
export function conflictedSubgraph(ctx: ResolutionContext, conflicted: ReadonlySet<string>): Set<string> {
  const reachable = authClosure(ctx, conflicted);
  const reachesConflicted = new Map<string, boolean>();
  for (const id of reachable) markReach(ctx, id, conflicted, reachable, reachesConflicted);
  const out = new Set<string>();
  for (const id of reachable) if (reachesConflicted.get(id) === true) out.add(id);
  return out;
}

/** Iterative post-order walk (auth chains can be thousands deep, too deep for recursion). */
function markReach(
  ctx: ResolutionContext,
  root: string,
  conflicted: ReadonlySet<string>,
  within: ReadonlySet<string>,
  memo: Map<string, boolean>,
): void {
  if (memo.has(root)) return;
  const nodes: string[] = [root];
  const next: number[] = [0];
  const onStack = new Set<string>([root]);
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const id = nodes[top] as string;
    if (conflicted.has(id)) {
      finish(id, true);
      continue;
    }
    const auth = ctx.maybeEvent(id)?.authEvents ?? [];
    const i = next[top] as number;
    if (i < auth.length) {
      next[top] = i + 1;
      const child = auth[i] as string;
      // A cycle can only come from a malformed graph; treating the back edge as a dead end
      // keeps the walk finite.
      if (!memo.has(child) && within.has(child) && !onStack.has(child)) {
        nodes.push(child);
        next.push(0);
        onStack.add(child);
      }
      continue;
    }
    finish(
      id,
      auth.some((a) => memo.get(a) === true),
    );
  }

  function finish(id: string, value: boolean): void {
    memo.set(id, value);
    nodes.pop();
    next.pop();
    onStack.delete(id);
  }
}
