/**
 * Grouping by room, which the sync and legacy streams do to per-user reads (membership changes)
 * and storage does to reads spanning several rooms.
 */
import { groupBy } from '../internal/util/group-by.js';

/** `items` by their `roomId`, each room's list in the order of `items`. */
export function groupByRoom<T extends { readonly roomId: string }>(items: Iterable<T>): Map<string, T[]> {
  return groupBy(items, (item) => item.roomId);
}
