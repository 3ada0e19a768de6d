/**
 * Building a local user's event on top of the room's current head: prev events are the forward
 * extremities (at most {@link MAX_LOCAL_PREV_EVENTS}), auth events the spec's selection from the
 * current state, depth one more than the deepest prev event; hashed and signed with our key.
 */
import { authStateKeys } from '../../matrix/auth/auth-state-keys.js';
import { buildEvent, type EventProto } from '../../matrix/build-event.js';
import { stateMapKey, type RoomEvent } from '../../matrix/room-event.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import type { ProtoEvent } from '../api.js';
import type { AuthState } from './auth-state.js';
import type { LoadedEvent, RoomserverInternalContext } from './roomserver-internal-context.js';

/** Prev events of a local event: enough to merge a fork, well under the PDU limit of 20. */
export const MAX_LOCAL_PREV_EVENTS = 10;

/** The largest depth the spec allows (2^53 − 1, the canonical JSON integer range). */
const MAX_DEPTH = Number.MAX_SAFE_INTEGER;

/**
 * The fields of `proto` placed on the head given by `prevs` and `auth` (room version `rv`): the
 * event before hashing and signing, shared by local sends and federation's membership templates.
 */
export function localEventFields(
  ctx: RoomserverInternalContext,
  proto: ProtoEvent,
  rv: RoomVersion,
  prevs: readonly LoadedEvent[],
  auth: AuthState,
): EventProto {
  const authEvents = authStateKeys({ ...proto, stateKey: proto.stateKey }, rv).flatMap(([t, k]) => auth.entries.get(stateMapKey(t, k)) ?? []);
  const depth = Math.min(MAX_DEPTH, Math.max(0, ...prevs.map((p) => p.event.depth)) + 1);
  return {
    type: proto.type,
    ...(proto.stateKey !== undefined ? { state_key: proto.stateKey } : {}),
    sender: proto.sender,
    content: proto.content,
    ...(rv.roomIdIsCreateHash && proto.type === 'm.room.create' ? {} : { room_id: proto.roomId }),
    prev_events: prevs.map((p) => p.event.eventId),
    auth_events: authEvents,
    depth,
    origin_server_ts: ctx.now(),
    ...(proto.redacts !== undefined ? { redacts: proto.redacts } : {}),
  };
}

/**
 * Builds `proto` in a room of version `rv` whose prev events and current auth state are given.
 * @throws MatrixError `M_TOO_LARGE` / `M_BAD_JSON` when the result is not a valid PDU.
 */
export function buildLocalEvent(
  ctx: RoomserverInternalContext,
  proto: ProtoEvent,
  rv: RoomVersion,
  prevs: readonly LoadedEvent[],
  auth: AuthState,
): RoomEvent {
  return buildEvent(localEventFields(ctx, proto, rv, prevs, auth), rv, { serverName: ctx.serverName, key: ctx.signingKey });
}
