/**
 * What push-rule evaluation needs to know about a room, kept in memory per room and moved along
 * by the room's own `OutputRoomEvent` messages: the joined members with their display names
 * (who to evaluate for, `room_member_count`, `contains_display_name`), the power levels
 * (`sender_notification_permission`), and the name and canonical alias (for the push payload).
 *
 * A room is read whole from the roomserver once (the state after the first event seen), then
 * each message's usual state delta — the event itself replacing its own (type, state key) — is
 * applied without a query. Anything else (a state resolution after a fork, a message older than
 * what the cache holds, as on redelivery) reads the state after that event again. Bounded: the
 * room not used lately is dropped past `maxRooms`.
 */
import { roomPowerLevels } from '../../matrix/auth/power-levels.js';
import { lookupFromEvents } from '../../matrix/auth/auth-state-lookup.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { isKnownRoomVersion, roomVersion } from '../../matrix/room-version.js';
import type { UserRoomserverAPI } from '../../roomserver/api.js';
import type { OutputRoomEventMessage } from '../../roomserver/producers/output-room-event.js';
import { boundedCache } from '../../internal/util/bounded-cache.js';

/** A `new_room_event` message. */
export type NewRoomEvent = Extract<OutputRoomEventMessage, { type: 'new_room_event' }>;

/** The state types the cache keeps. */
export const PUSH_STATE_TYPES: readonly string[] = ['m.room.member', 'm.room.power_levels', 'm.room.create', 'm.room.name', 'm.room.canonical_alias'];

/** A room as push evaluation sees it, after some event. */
export interface PushRoomState {
  /** The room stream position this state is after. */
  position: number;
  readonly roomVersion: string;
  /** Joined members and their display names in the room. */
  readonly joined: Map<string, string | null>;
  powerLevels: RoomEvent | undefined;
  create: RoomEvent | undefined;
  name: string | undefined;
  canonicalAlias: string | undefined;
}

/** The state of a room after an event. */
export interface PushRoomCache {
  /** The room's state after `msg`'s event (the returned object is the cache's own: read, don't keep). */
  stateAfter(msg: NewRoomEvent): Promise<PushRoomState>;
}

/** The sender's power level and the room's `notifications` levels. */
export function notificationLevels(state: PushRoomState, sender: string): { senderPowerLevel: number; notificationPowerLevels: Record<string, number> } {
  if (!isKnownRoomVersion(state.roomVersion)) return { senderPowerLevel: 0, notificationPowerLevels: { room: 50 } };
  const rv = roomVersion(state.roomVersion);
  const events = [state.powerLevels, state.create].filter((e): e is RoomEvent => e !== undefined);
  const levels = roomPowerLevels(lookupFromEvents(events), rv);
  return { senderPowerLevel: levels.userLevel(sender), notificationPowerLevels: Object.fromEntries(levels.levels.notifications) };
}

/** A cache of at most `maxRooms` rooms over the roomserver's state queries. */
export function createPushRoomCache(roomserver: Pick<UserRoomserverAPI, 'queryState'>, maxRooms = 1000): PushRoomCache {
  const rooms = boundedCache<string, PushRoomState>(maxRooms);

  const load = async (msg: NewRoomEvent): Promise<PushRoomState> => {
    let res = await roomserver.queryState({ roomId: msg.roomId, atEventId: msg.eventId, types: PUSH_STATE_TYPES });
    // The state after the event should always be there; the current state is the next best thing.
    if (!res.found) res = await roomserver.queryState({ roomId: msg.roomId, types: PUSH_STATE_TYPES });
    const state: PushRoomState = {
      position: msg.streamPosition,
      roomVersion: msg.roomVersion,
      joined: new Map(),
      powerLevels: undefined,
      create: undefined,
      name: undefined,
      canonicalAlias: undefined,
    };
    for (const e of res.events) applyStateEvent(state, e.eventId, e.event);
    // The event itself, in case the state lookup fell back to a current state missing it.
    applyStateEvent(state, msg.eventId, msg.event);
    return state;
  };

  return {
    async stateAfter(msg) {
      const cached = rooms.get(msg.roomId);
      if (cached && msg.streamPosition > cached.position && isOwnDelta(msg)) {
        if (msg.addsStateEventIds.length === 1) applyStateEvent(cached, msg.eventId, msg.event);
        cached.position = msg.streamPosition;
        return cached;
      }
      const state = await load(msg);
      // An older event (redelivery) must not take the place of the newer state cached.
      if (!cached || msg.streamPosition > cached.position) rooms.set(msg.roomId, state);
      return state;
    },
  };
}

/** The usual delta: nothing, or the event itself (possibly replacing the entry of its own key). */
function isOwnDelta(msg: NewRoomEvent): boolean {
  const adds = msg.addsStateEventIds;
  return adds.every((id) => id === msg.eventId) && msg.removesStateEventIds.length <= adds.length;
}

/** Applies one current-state event (other types and non-state events change nothing). */
function applyStateEvent(state: PushRoomState, eventId: string, ev: JsonObject): void {
  if (typeof ev.state_key !== 'string') return;
  const content = isJsonObject(ev.content) ? ev.content : {};
  switch (ev.type) {
    case 'm.room.member':
      if (content.membership === 'join') state.joined.set(ev.state_key, typeof content.displayname === 'string' ? content.displayname : null);
      else state.joined.delete(ev.state_key);
      return;
    case 'm.room.power_levels':
      if (ev.state_key === '') state.powerLevels = parsed(state, eventId, ev);
      return;
    case 'm.room.create':
      if (ev.state_key === '') state.create = parsed(state, eventId, ev);
      return;
    case 'm.room.name':
      if (ev.state_key === '') state.name = typeof content.name === 'string' && content.name !== '' ? content.name : undefined;
      return;
    case 'm.room.canonical_alias':
      if (ev.state_key === '') state.canonicalAlias = typeof content.alias === 'string' ? content.alias : undefined;
      return;
  }
}

/** The event as the power-level helpers take it; undefined if the stored JSON does not parse. */
function parsed(state: PushRoomState, eventId: string, ev: JsonObject): RoomEvent | undefined {
  if (!isKnownRoomVersion(state.roomVersion)) return undefined;
  try {
    return parseEvent(ev, roomVersion(state.roomVersion), { trustedEventId: eventId });
  } catch {
    return undefined;
  }
}
