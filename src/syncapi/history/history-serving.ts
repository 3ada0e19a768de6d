/**
 * How the history endpoints — `/messages`, `/context`, `/relations`, `/threads` — serve events:
 * each through `serveEvent` (`sync/serve-event.ts`), as `/sync` serves its timelines, in the
 * client format with `room_id` (their `filter` is a `RoomEventFilter`, which has no
 * `event_format` or `event_fields`), the stored text spliced rather than parsed where it can be.
 *
 * What `serveEvent` adds is worked out for the whole response at once, never per event:
 * - bundled aggregations of every event of the batch (`bundleAggregations`: a fixed number of
 *   storage reads), bounded by what the user may see: nothing from after a left user's leave, and
 *   no edit or latest thread reply that history visibility hides from them (one roomserver call,
 *   made only when one of those lies before the user's current join);
 * - `unsigned.membership`, the requester's membership at each event (spec v1.11: their
 *   `m.room.member` state at the event, the event's own change included; `leave` before they had
 *   any): `join` from their current join on, and for the events before it one read of their
 *   member events over the stretch of the room's topological order those events span;
 * - `transaction_id` for the device that sent the event, and `age`.
 *
 * State lists (`/context`'s `state`, `/messages`' lazy-loaded members) get `age` only, as the
 * state sections of `/sync` do.
 */
import type { JsonObject } from '../../matrix/json.js';
import { bundleAggregations } from '../relations/bundle-aggregations.js';
import type { SyncEvent, SyncStorage } from '../storage/index.js';
import { clientEventServing, serveEvent } from '../sync/serve-event.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { hiddenEventIds, isAfterJoin, isReadable, type HistoryAccess, type HistoryDeps } from './history-access.js';
import { transactionIdFor, type ServedTo } from './history-event.js';
import { comparePoints, pointAfter, pointBefore, ROOM_END } from './topological-point.js';

/** One response's way of serving events. */
export interface HistoryServing {
  /** An event of the batch the serving was made for, with everything the file comment lists. */
  event(e: SyncEvent): ResponseEvent;
  /** A state event of the response's room (a `state` list): `unsigned.age` only. */
  state(eventId: string, json: string): ResponseEvent;
  /** The bundled aggregations of an event of the batch, if it has any. */
  relationsOf(eventId: string): JsonObject | undefined;
}

/**
 * The serving of `events` (all of `access`'s room) to `to`, at time `now`: their bundles and
 * memberships read in one batch.
 */
export async function historyServing(deps: HistoryDeps, access: HistoryAccess, to: ServedTo, events: readonly SyncEvent[], now = Date.now()): Promise<HistoryServing> {
  const inRoom = events.filter((e) => e.roomId === access.roomId);
  const [bundles, memberships] = await Promise.all([bundlesFor(deps, access, inRoom), membershipsAt(deps.storage, access, inRoom)]);
  const serving = clientEventServing(now);
  return {
    event: (e) =>
      serveEvent(e.eventId, e.roomId, e.json, { membership: memberships.get(e.eventId), transactionId: transactionIdFor(e, to), relations: bundles.get(e.eventId) }, serving),
    state: (eventId, json) => serveEvent(eventId, access.roomId, json, {}, serving),
    relationsOf: (eventId) => bundles.get(eventId),
  };
}

/** The bundles of `events`, within what the user may see (see the file comment). */
function bundlesFor(deps: HistoryDeps, access: HistoryAccess, events: readonly SyncEvent[]): Promise<Map<string, JsonObject>> {
  const left = comparePoints(access.readableBefore, ROOM_END) < 0;
  return bundleAggregations(deps.storage, events, access.userId, {
    ...(left && { before: access.readableBefore }),
    hiddenOf: async (shown) => {
      // Storage keeps children in their parent's room and before the leave; this says so again.
      const out = new Set(shown.filter((e) => e.roomId !== access.roomId || !isReadable(access, e)).map((e) => e.eventId));
      for (const id of await hiddenEventIds(deps.roomserver, access, shown.filter((e) => !out.has(e.eventId)))) out.add(id);
      return out;
    },
  });
}

/**
 * The requester's membership at each of `events`: `join` after their current join, else from
 * their member events, in the room's topological order, up to and including the event's point.
 */
async function membershipsAt(storage: SyncStorage, access: HistoryAccess, events: readonly SyncEvent[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ask: SyncEvent[] = [];
  for (const e of events) {
    if (isAfterJoin(access, e)) out.set(e.eventId, 'join');
    else ask.push(e);
  }
  if (ask.length === 0) return out;
  ask.sort((a, b) => comparePoints(pointBefore(a), pointBefore(b)));
  const changes = await storage.userMemberChanges(access.roomId, access.userId, pointBefore(ask[0]!), pointAfter(ask.at(-1)!));
  // No member event yet: the spec's `leave`.
  let membership = 'leave';
  let i = 0;
  for (const e of ask) {
    const upTo = pointAfter(e);
    for (; i < changes.length && comparePoints(pointBefore(changes[i]!), upTo) < 0; i++) membership = changes[i]!.membership;
    out.set(e.eventId, membership);
  }
  return out;
}
