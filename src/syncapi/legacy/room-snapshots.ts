/**
 * Rooms as `/initialSync` and `/rooms/{roomId}/initialSync` show them: the latest messages up to
 * a point (the present, or the user's leave) and the room's state at that point, for any number
 * of rooms in a fixed number of reads — the timelines as `/sync` reads them (`read-timelines.ts`:
 * batched index seeks, one history-visibility call for every event before the user's join), the
 * state as `/sync` rebuilds it at a past position (`room-state-at.ts`).
 *
 * Tokens: `messages.start` is the `prev_batch` form `/sync` uses, the point just before the first
 * message (or the stream point `s<upTo>` when there is none), so `/messages?dir=b&from=<start>`
 * pages on back from it; `messages.end` is a `/sync` token whose `pdu` position is the snapshot's
 * point, which `/messages` reads as the point after the room's last event so far and `/events`
 * continues from.
 */
import type { ServedTo } from '../history/history-event.js';
import { readTimelines } from '../sync/read-timelines.js';
import { roomStatesAt } from '../sync/room-state-at.js';
import { prevBatchOf } from '../sync/room-timeline.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { encodeStreamToken, type StreamPositions } from '../sync/stream-token.js';
import type { RoomPlan, WriteRoomsDeps } from '../sync/write-rooms.js';
import { legacyEvent, legacyStateEvent } from './legacy-event.js';
import { legacyContext } from './legacy-streams.js';

/** One room to show. */
export interface SnapshotPlan {
  readonly roomId: string;
  /** Messages and state end at this position (included). */
  readonly upTo: number;
  /** Messages positioned before this are checked against history visibility (the user's join). */
  readonly visibleFrom: number;
}

/** A room's `messages` and `state`. */
export interface RoomSnapshot {
  readonly messages: { readonly chunk: ResponseEvent[]; readonly start: string; readonly end: string };
  readonly state: ResponseEvent[];
}

/**
 * The snapshots of `plans` (by room ID), with at most `limit` messages each, as served to `to`
 * at `now`; `positions` are the response's other stream positions, for the `end` tokens.
 */
export async function roomSnapshots(
  deps: WriteRoomsDeps,
  to: ServedTo,
  plans: readonly SnapshotPlan[],
  limit: number,
  positions: StreamPositions,
  now: number,
): Promise<Map<string, RoomSnapshot>> {
  const out = new Map<string, RoomSnapshot>();
  if (plans.length === 0) return out;
  const base = legacyContext(to.userId, to.deviceId, [], now);
  // The legacy `limit` may be 0 (no messages), which a filter's timeline limit may not.
  const ctx = { ...base, filter: { ...base.filter, room: { ...base.filter.room, timeline: { ...base.filter.room.timeline, limit } } } };
  const roomPlans = plans.map((p): RoomPlan => ({ roomId: p.roomId, section: 'join', after: 0, upTo: p.upTo, state: 'none', visibleFrom: p.visibleFrom, summary: 'if-members' }));
  const [timelines, states] = await Promise.all([readTimelines(deps, ctx, roomPlans), roomStatesAt(deps, plans.map((p) => ({ roomId: p.roomId, at: p.upTo })))]);
  for (const p of plans) {
    const events = timelines.get(p.roomId)?.events ?? [];
    out.set(p.roomId, {
      messages: {
        chunk: events.map((e) => legacyEvent(e, to, now)),
        start: prevBatchOf(events, p.upTo),
        end: encodeStreamToken({ ...positions, pdu: p.upTo }),
      },
      state: [...(states.get(p.roomId)?.values() ?? [])].map((item) => legacyStateEvent(p.roomId, item, now)),
    });
  }
  return out;
}
