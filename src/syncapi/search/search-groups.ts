/**
 * `groups` of a search response (`groupings.group_by`): per requested key (`room_id`, `sender`),
 * per value, the event IDs of this page's results in their order, the group's `order` (1 for the
 * group of the first result, 2 for the next new group, … so groups sorted by it follow the
 * results), and a `next_batch` that pages on within the group when the search has more hits.
 */
import type { SearchGroupKey } from './search-request.js';
import type { SearchScope } from './search-token.js';

/** One group's entry. */
export interface SearchGroup {
  results: string[];
  order: number;
  next_batch?: string;
}

/** What is grouped: a result's event ID, room and sender. */
export interface GroupedResult {
  readonly eventId: string;
  readonly roomId: string;
  readonly sender: string;
}

/**
 * The groups of `results`. `scope` is the page's own (a group token's room or sender);
 * `tokenFor` makes the token of a narrower scope, or undefined when no hit is left.
 */
export function searchGroups(
  results: readonly GroupedResult[],
  groupBy: readonly SearchGroupKey[],
  scope: SearchScope,
  tokenFor: (scope: SearchScope) => string | undefined,
): Record<string, Record<string, SearchGroup>> {
  const out: Record<string, Record<string, SearchGroup>> = {};
  for (const key of groupBy) {
    const groups: Record<string, SearchGroup> = {};
    let order = 0;
    for (const r of results) {
      const value = key === 'room_id' ? r.roomId : r.sender;
      let group = groups[value];
      if (group === undefined) {
        group = { results: [], order: ++order };
        const next = tokenFor(key === 'room_id' ? { ...scope, roomId: value } : { ...scope, sender: value });
        if (next !== undefined) group.next_batch = next;
        groups[value] = group;
      }
      group.results.push(r.eventId);
    }
    out[key] = groups;
  }
  return out;
}
