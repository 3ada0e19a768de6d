/**
 * `performBackfill`: history older than what the room holds here — a room joined over
 * federation starts at the join. From the room's earliest backward extremities (events whose
 * prev events we lack, `storage/backward-extremities.ts`) the federationapi asks the room's
 * other servers for what precedes them, and brings the state before the oldest of those events
 * when their own prev events are out of reach (stored as outliers first). The events are then
 * input oldest first as `backfill`: each goes through the checks on receipt against the state
 * before it, is stored without moving the room's head or current state, and — when accepted —
 * published as `backfilled_events` in the same transaction (`persist-event.ts`), so the syncapi
 * can serve it.
 *
 * Concurrent calls for one room (two clients paging back at once) share one run.
 */
import type { InputRoomEvent, PerformBackfillRequest, PerformBackfillResponse } from '../api.js';
import { inputRoomEvents } from './input-room-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Backward extremities continued from at once when the caller names none. */
const MAX_EXTREMITIES = 5;
/** The most events asked of the other server (what servers answer at most). */
const MAX_LIMIT = 100;

const running = new WeakMap<RoomserverInternalContext, Map<string, Promise<PerformBackfillResponse>>>();

/** Fetches and places older events (see the file comment); the IDs of those newly placed. */
export function performBackfill(ctx: RoomserverInternalContext, req: PerformBackfillRequest): Promise<PerformBackfillResponse> {
  let rooms = running.get(ctx);
  if (!rooms) running.set(ctx, (rooms = new Map()));
  const key = `${req.roomId}|${(req.fromEventIds ?? []).join(',')}`;
  const inFlight = rooms.get(key);
  if (inFlight) return inFlight;
  const run = backfill(ctx, req).finally(() => rooms.delete(key));
  rooms.set(key, run);
  return run;
}

async function backfill(ctx: RoomserverInternalContext, req: PerformBackfillRequest): Promise<PerformBackfillResponse> {
  const none: PerformBackfillResponse = { eventIds: [] };
  const federation = ctx.federation();
  const room = await ctx.storage.getRoomInfo(req.roomId);
  if (!federation || !room?.hasState) return none;
  const from = req.fromEventIds ?? (await ctx.storage.getBackwardExtremities(req.roomId, MAX_EXTREMITIES));
  const servers = (await ctx.storage.getJoinedServers(req.roomId)).filter((s) => s !== ctx.serverName);
  if (from.length === 0 || servers.length === 0) return none;
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(req.limit)));
  const answer = await federation.performBackfill({ roomId: req.roomId, fromEventIds: from, limit, servers });
  if (answer.origin === null || answer.events.length === 0) return none;

  // Events already in the DAG (the ones named in `v` come back too) need no second look.
  const stored = await ctx.storage.getEvents(answer.events.map((e) => e.eventId));
  const placed = new Set(stored.filter((e) => !e.outlier).map((e) => e.eventId));
  const states = new Map(answer.statesBefore.map((s) => [s.eventId, s.stateEventIds]));
  const origin = answer.origin;
  const inputs: InputRoomEvent[] = answer.events
    .filter((e) => !placed.has(e.eventId))
    .map((e) => {
      const state = states.get(e.eventId);
      return { kind: 'backfill', event: e.event, roomVersion: room.roomVersion, origin, ...(state ? { stateEventIdsBefore: state } : {}) };
    });
  const { results } = await inputRoomEvents(ctx, { inputs });
  const notPlaced = results.filter((r) => !r.accepted);
  if (notPlaced.length > 0) {
    ctx.logger?.info({ roomId: req.roomId, origin, notPlaced: notPlaced.length, first: notPlaced[0]?.rejection }, 'backfill: some events were not placed');
  }
  return { eventIds: results.filter((r) => r.accepted).map((r) => r.eventId) };
}
