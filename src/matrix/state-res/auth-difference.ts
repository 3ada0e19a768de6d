/**
 * The auth difference of state resolution v2: the events in some but not all of the state sets'
 * full auth chains.
 *
 * Like Synapse and ruma, a state set's "full auth chain" here includes the set's own events, not
 * just what they cite (the spec's prose reads as the latter). The two readings give the same full
 * conflicted set except for an unconflicted event that only some sets' events cite; including the
 * sets' own events keeps such events out, matching the servers this one has to converge with.
 */
import type { StateMap } from '../room-event.js';
import { authClosure } from './auth-closure.js';
import type { ResolutionContext } from './resolution-context.js';

/**
 * Computes the auth difference. `unconflicted` lets the shared part of the chains be walked once:
 * everything reachable from the unconflicted events is in every set's chain, so each set then
 * only walks from its own conflicted events down to that shared part. `precomputed` (one full
 * auth chain per state set, as IDs) skips the walks altogether.
 */
export function authDifference(
  ctx: ResolutionContext,
  stateSets: readonly StateMap[],
  unconflicted: ReadonlyMap<string, string>,
  precomputed?: readonly ReadonlySet<string>[],
): Set<string> {
  const chains: ReadonlySet<string>[] = [];
  if (precomputed !== undefined) {
    if (precomputed.length !== stateSets.length) {
      throw new Error('state resolution: authChains must have one entry per state set');
    }
    stateSets.forEach((set, i) => {
      const chain = new Set(precomputed[i]);
      for (const id of set.values()) chain.add(id);
      chains.push(chain);
    });
  } else {
    const shared = authClosure(ctx, unconflicted.values());
    for (const set of stateSets) chains.push(authClosure(ctx, set.values(), shared));
  }
  return inSomeButNotAll(chains);
}

function inSomeButNotAll(chains: readonly ReadonlySet<string>[]): Set<string> {
  const counts = new Map<string, number>();
  for (const chain of chains) {
    for (const id of chain) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const out = new Set<string>();
  for (const [id, n] of counts) if (n < chains.length) out.add(id);
  return out;
}
