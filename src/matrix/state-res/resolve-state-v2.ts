/**
 * State resolution v2 (room versions 2–11) and v2.1 (room version 12).
 * See the spec's rooms/v2.md ("State resolution") and rooms/v12.md.
 */
import type { StateMap } from '../room-event.js';
import { authDifference } from './auth-difference.js';
import { conflictedSubgraph } from './conflicted-subgraph.js';
import { isPowerEvent } from './is-power-event.js';
import { iterativeAuthChecks } from './iterative-auth-checks.js';
import { mainlineOrder } from './mainline-order.js';
import { POWER_LEVELS_KEY, type ResolutionContext } from './resolution-context.js';
import { reverseTopologicalPowerOrder } from './reverse-topological-power-order.js';
import { separateStateSets } from './separate-state-sets.js';

/**
 * Resolves `stateSets` with v2, or with v2.1 when `v21` is set. v2.1 differs in two places:
 * the full conflicted set also holds the conflicted state subgraph, and the first iterative
 * auth checks start from the empty state instead of the unconflicted state map.
 */
export function resolveStateV2(
  ctx: ResolutionContext,
  stateSets: readonly StateMap[],
  v21: boolean,
  authChains?: readonly ReadonlySet<string>[],
): Map<string, string> {
  const { unconflicted, conflicted } = separateStateSets(stateSets, 'v2');
  if (conflicted.size === 0) return unconflicted;

  const conflictedIds = new Set<string>();
  for (const ids of conflicted.values()) {
    for (const id of ids) {
      ctx.event(id); // a conflicted event the caller can't load is a caller bug: fail loudly
      conflictedIds.add(id);
    }
  }
  const full = new Set(conflictedIds);
  for (const id of authDifference(ctx, stateSets, unconflicted, authChains)) full.add(id);
  if (v21) for (const id of conflictedSubgraph(ctx, conflictedIds)) full.add(id);
  // Precomputed auth chains may name events the loader doesn't have; those can't be ordered or
  // checked (Synapse drops them too).
  for (const id of full) if (ctx.maybeEvent(id) === undefined) full.delete(id);

  // Step 1: the power events and the parts of their auth chains in the full conflicted set.
  const powerIds: string[] = [];
  for (const id of full) if (isPowerEvent(ctx.event(id))) powerIds.push(id);
  const sortedPower = reverseTopologicalPowerOrder(ctx, powerIds, full);

  // Step 2.
  const partial = iterativeAuthChecks(ctx, sortedPower, v21 ? new Map() : unconflicted);

  // Steps 3 and 4: everything else, in mainline order of the partially resolved power levels.
  const picked = new Set(sortedPower);
  const rest: string[] = [];
  for (const id of full) if (!picked.has(id)) rest.push(id);
  const resolved = iterativeAuthChecks(ctx, mainlineOrder(ctx, rest, partial.get(POWER_LEVELS_KEY)), partial);

  // Step 5.
  for (const [key, id] of unconflicted) resolved.set(key, id);
  return resolved;
}
