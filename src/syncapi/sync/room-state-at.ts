/**
 * The state of rooms at a stream position in the past (the start of a sync timeline), from the
 * current state and the state deltas stored with each event: undoing the state events after the
 * position, newest first, gives the state before them — each event's own entry removed and the
 * entry it replaced at its key restored. State that entered along with an event (a federated
 * join's whole room, a branch merged by state resolution) counts as there before it.
 *
 * The current state is read *before* the events to undo, so every event whose effect the read
 * state holds is among them. Undoing is by event ID, so undoing an event committed after the
 * state was read (its effect not in it) changes nothing: its adds are absent, and its removes are
 * the entries the state still holds. No transaction or snapshot is needed.
 */
import { stateMapKey } from '../../matrix/room-event.js';
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import { clientForm } from '../consumers/apply-room-event.js';
import type { SyncStorage } from '../storage/index.js';

/** One state entry as a response serves it. */
export interface StateItem {
  readonly eventId: string;
  readonly type: string;
  readonly stateKey: string;
  /** The client-format event as JSON text. */
  readonly json: string;
}

/** A room's state: `stateMapKey(type, state_key)` → entry. */
export type RoomState = Map<string, StateItem>;

/** What reading past state needs. */
export interface RoomStateDeps {
  readonly storage: SyncStorage;
  readonly roomserver: SyncRoomserverAPI;
}

/** Upper bound standing for "no upper bound" in position ranges. */
export const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;

/**
 * The state of each room after position `at` (so before every event positioned above it).
 * Rooms with no state here come back empty.
 */
export async function roomStatesAt(deps: RoomStateDeps, rooms: ReadonlyArray<{ readonly roomId: string; readonly at: number }>): Promise<Map<string, RoomState>> {
  const out = new Map<string, RoomState>();
  if (rooms.length === 0) return out;
  for (const r of rooms) out.set(r.roomId, new Map());
  for (const e of await deps.storage.roomsState(rooms.map((r) => r.roomId))) {
    out.get(e.roomId)?.set(stateMapKey(e.type, e.stateKey), { eventId: e.eventId, type: e.type, stateKey: e.stateKey, json: e.json });
  }
  const changes = await deps.storage.stateChanges(rooms.map((r) => ({ roomId: r.roomId, after: r.at, upTo: NO_UPPER_BOUND })));
  if (changes.length === 0) return out;
  const restored = await lookUp(deps, changes.flatMap((c) => c.removesState));
  // Event ID → key per room, so undoing an add finds its entry without a scan.
  const keys = new Map<string, Map<string, string>>();
  for (const [roomId, state] of out) keys.set(roomId, new Map([...state].map(([key, item]) => [item.eventId, key])));
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i]!;
    const state = out.get(c.roomId);
    const keyOf = keys.get(c.roomId);
    if (!state || !keyOf) continue;
    // Only the event's own entry is undone. Whatever else entered with it was part of the room
    // before it: the state a federated join brought (the whole room, new to us), or another
    // branch merged by state resolution. Undoing those would leave a newly joined member with a
    // room without its create event, name or encryption.
    if (c.stateKey === null || !c.addsState.includes(c.eventId)) continue;
    const ownKey = stateMapKey(c.type, c.stateKey);
    if (state.get(ownKey)?.eventId === c.eventId) state.delete(ownKey);
    keyOf.delete(c.eventId);
    for (const id of c.removesState) {
      const item = restored.get(id);
      if (!item || stateMapKey(item.type, item.stateKey) !== ownKey) continue;
      state.set(ownKey, item);
      keyOf.set(id, ownKey);
    }
  }
  return out;
}

/** State events by ID: from this component's copy, else from the roomserver (never seen here). */
export async function lookUp(deps: RoomStateDeps, eventIds: readonly string[]): Promise<Map<string, StateItem>> {
  const out = new Map<string, StateItem>();
  if (eventIds.length === 0) return out;
  for (const e of await deps.storage.eventsByIds(eventIds)) {
    if (e.stateKey !== null) out.set(e.eventId, { eventId: e.eventId, type: e.type, stateKey: e.stateKey, json: e.json });
  }
  const missing = [...new Set(eventIds)].filter((id) => !out.has(id));
  if (missing.length === 0) return out;
  for (const e of (await deps.roomserver.queryEvents({ eventIds: missing })).events) {
    const { type, state_key: stateKey } = e.event;
    if (typeof type !== 'string' || typeof stateKey !== 'string') continue;
    out.set(e.eventId, { eventId: e.eventId, type, stateKey, json: clientForm(e.eventId, e.roomId, e.event).json });
  }
  return out;
}
