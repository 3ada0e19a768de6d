/**
 * Stripped state: the few state events that let someone outside a room recognise it (client-server
 * API, "Stripped state"), attached to local invites and knocks as `unsigned.invite_room_state` /
 * `unsigned.knock_room_state`. They are stored with the event, so the `new_room_event` output
 * carries them to sync, and they describe the room as it was when the invite or knock was sent.
 * `unsigned` is covered by neither the content hash, the reference hash nor the signatures, so
 * adding it after the event is built changes neither its ID nor its validity; redaction drops it.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { RoomEvent, StateKeyTuple } from '../../matrix/room-event.js';
import { stateMapKey } from '../../matrix/room-event.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * The spec's list, in the order served. Since v1.16 the create event is required (it tells a
 * space from a room); the room type is its `type`.
 */
export const STRIPPED_STATE_TUPLES: readonly StateKeyTuple[] = [
  ['m.room.create', ''],
  ['m.room.name', ''],
  ['m.room.avatar', ''],
  ['m.room.topic', ''],
  ['m.room.join_rules', ''],
  ['m.room.canonical_alias', ''],
  ['m.room.encryption', ''],
];

/** The unsigned key each membership's stripped state goes under (a Map: `membership` is untrusted text). */
const UNSIGNED_KEY: ReadonlyMap<unknown, string> = new Map([
  ['invite', 'invite_room_state'],
  ['knock', 'knock_room_state'],
]);

/** A state event as stripped state: only `type`, `state_key`, `sender` and `content` (the spec's schema). */
export function toStrippedStateEvent(pdu: JsonObject): JsonObject {
  return {
    type: pdu.type ?? '',
    state_key: pdu.state_key ?? '',
    sender: pdu.sender ?? '',
    content: isJsonObject(pdu.content) ? pdu.content : {},
  };
}

/**
 * The room's current stripped state, in {@link STRIPPED_STATE_TUPLES} order, followed by the
 * member events of `members` (an invite includes its sender's, so the invitee sees who invited
 * them by name, as Synapse does). Absent entries are left out.
 */
export async function strippedStateOf(ctx: RoomserverInternalContext, roomId: string, members: readonly string[] = []): Promise<JsonObject[]> {
  const tuples: StateKeyTuple[] = [...STRIPPED_STATE_TUPLES, ...members.map((u): StateKeyTuple => ['m.room.member', u])];
  const events = (await ctx.storage.getStateEvents({ currentOf: roomId }, { tuples })) ?? [];
  const byKey = new Map(events.map((e) => [stateMapKey(e.type, e.stateKey ?? ''), e]));
  return tuples.flatMap(([t, k]) => {
    const e = byKey.get(stateMapKey(t, k));
    return e ? [toStrippedStateEvent(JSON.parse(e.json) as JsonObject)] : [];
  });
}

/**
 * `event` with the room's stripped state under `unsigned` when it is an invite or a knock;
 * other events unchanged. Call it inside the room's queue, before the event is stored, so the
 * state read is the one the event is sent on.
 */
export async function withStrippedState(ctx: RoomserverInternalContext, event: RoomEvent): Promise<RoomEvent> {
  const membership = event.content.membership;
  const key = event.type === 'm.room.member' ? UNSIGNED_KEY.get(membership) : undefined;
  if (key === undefined) return event;
  const stripped = await strippedStateOf(ctx, event.roomId, membership === 'invite' ? [event.sender] : []);
  const unsigned = { ...(isJsonObject(event.json.unsigned) ? event.json.unsigned : {}), [key]: stripped };
  return { ...event, json: { ...event.json, unsigned } };
}
