/**
 * Timeline pieces of a sync response: history visibility and `prev_batch` (events are served
 * by serve-event.ts).
 *
 * History visibility: an event positioned at or after the start of the user's current membership
 * run in the room (their join) is visible to them, the user being joined then. Only events before
 * that point are asked of the roomserver (`queryEventVisibility`, which applies the spec's rules
 * to the state at each event), in one call per response, and hidden ones are left out.
 */
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import type { SyncEvent } from '../storage/index.js';
import { encodeTopologicalToken } from './pagination-token.js';

/** Events whose visibility must be asked: those before `visibleFrom` (the user's join position). */
export interface VisibilityCheck {
  readonly events: readonly SyncEvent[];
  readonly visibleFrom: number;
}

/** The IDs of the events `userId` may not see, among those the checks name (one roomserver call). */
export async function hiddenEvents(roomserver: SyncRoomserverAPI, userId: string, checks: readonly VisibilityCheck[]): Promise<Set<string>> {
  const ask = checks.flatMap((c) => c.events.filter((e) => e.position < c.visibleFrom).map((e) => e.eventId));
  if (ask.length === 0) return new Set();
  const { events } = await roomserver.queryEventVisibility({ eventIds: ask, userId });
  return new Set(events.filter((v) => !v.visible).map((v) => v.eventId));
}

/**
 * The `prev_batch` of a timeline: the point just before its first event, or, for an empty
 * timeline, the stream point after `upTo` (see `pagination-token.ts`).
 */
export function prevBatchOf(events: readonly SyncEvent[], upTo: number): string {
  const first = events[0];
  return first ? encodeTopologicalToken(first.depth, first.position) : `s${upTo}`;
}
