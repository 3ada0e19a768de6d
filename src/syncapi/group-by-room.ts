/**
 * Grouping by room, which the sync and legacy streams do to per-user reads (membership changes)
 * and storage does to reads spanning several rooms.
 */

/** `items` by their `roomId`, each room's list in the order of `items`. */
export function groupByRoom<T extends { readonly roomId: string }>(items: Iterable<T>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.roomId);
    if (list === undefined) out.set(item.roomId, [item]);
    else list.push(item);
  }
  return out;
}
