/**
 * The filter's `presence` section: which presence updates a `/sync` returns. A presence update
 * is an `m.presence` event whose sender is the user it describes, so `types` / `not_types` match
 * `m.presence` and `senders` / `not_senders` match the user (as Synapse reads them).
 *
 * The `limit` is not applied: the presence stream's position moves past every update a sync
 * covers, so an update cut by a limit would never reach the client (Synapse ignores it too).
 */
import { matchesEventFilter } from './event-filter.js';
import type { EventFilter } from './filter-types.js';

/** The event type of presence updates. */
export const PRESENCE_EVENT_TYPE = 'm.presence';

/** Whether the presence of `userId` passes the `presence` filter. */
export function matchesPresenceFilter(userId: string, filter: EventFilter): boolean {
  return matchesEventFilter({ type: PRESENCE_EVENT_TYPE, sender: userId }, filter);
}

/** The presence updates of `updates` that pass `filter`, in their order. */
export function filterPresence<P extends { readonly userId: string }>(updates: readonly P[], filter: EventFilter): P[] {
  return updates.filter((u) => matchesPresenceFilter(u.userId, filter));
}
