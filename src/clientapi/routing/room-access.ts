/**
 * Who may read a room, in one place for every read endpoint.
 *
 * Reading the room (state, members, aliases): a joined user reads the current state; a user who
 * left or was banned reads the state as it was at their leave, as the spec says of `/state` and
 * `/members`; anyone else reads the current state of a room whose history visibility is now
 * `world_readable` (Synapse's rule), or gets 403. Guests are members only of rooms whose
 * `m.room.guest_access` is `can_join`: elsewhere they read world-readable rooms only.
 *
 * Reading events: each event by the history visibility at that event (roomserver
 * `queryEventVisibility`); a guest in a room without guest access reads as an anonymous reader,
 * that is world-readable events only.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import type { ClientRoomserverAPI, StoredRoomEvent } from '../../roomserver/api.js';
import { checkRoomIdParam } from './account-data.js';

/** The reader of a room: the requester's user ID and whether it is a guest account. */
export interface RoomReader {
  readonly userId: string;
  readonly isGuest: boolean;
}

/** How the reader may read the room now. */
export interface RoomReadAccess {
  /** The state to read: after the user's leave or ban event, or (absent) the current state. */
  readonly atEventId?: string;
  /** `joined`: a member; `departed`: left or banned (reads as of then); `world_readable`: a room anyone may read. */
  readonly via: 'joined' | 'departed' | 'world_readable';
}

/**
 * The reader's access to the room (see the file comment).
 * @throws MatrixError 400 for a malformed room ID, 404 M_NOT_FOUND for an unknown room,
 *   403 M_FORBIDDEN when the reader may not read it.
 */
export async function roomReadAccess(api: ClientRoomserverAPI, roomId: string, reader: RoomReader): Promise<RoomReadAccess> {
  checkRoomIdParam(roomId);
  const [info, m, settings] = await Promise.all([
    api.queryRoomInfo({ roomId }),
    api.queryMembership({ roomId, userId: reader.userId }),
    roomSettings(api, roomId),
  ]);
  if (!info.exists) throw MatrixError.notFound(`Unknown room ${roomId}`);
  if (!reader.isGuest || settings.guestCanJoin) {
    if (m.membership === 'join') return { via: 'joined' };
    if ((m.membership === 'leave' || m.membership === 'ban') && m.eventId !== null) return { via: 'departed', atEventId: m.eventId };
  }
  if (settings.worldReadable) return { via: 'world_readable' };
  throw MatrixError.forbidden(reader.isGuest ? `Guests may not read ${roomId}` : `You are not a member of ${roomId}`);
}

/** The `atEventId` of a state query made with `access`. */
export function stateAt(access: RoomReadAccess): { atEventId?: string } {
  return access.atEventId !== undefined ? { atEventId: access.atEventId } : {};
}

/**
 * Access to the room's current members and aliases: members now, or anyone in a world-readable
 * room; a departed member is refused (403), like anyone else.
 */
export async function requireCurrentReadAccess(api: ClientRoomserverAPI, roomId: string, reader: RoomReader): Promise<void> {
  const access = await roomReadAccess(api, roomId, reader);
  if (access.via === 'departed') throw MatrixError.forbidden(`You are no longer a member of ${roomId}`);
}

/** 403 unless the user is joined to the room (404 for an unknown room). */
export async function requireJoined(api: ClientRoomserverAPI, roomId: string, userId: string): Promise<void> {
  checkRoomIdParam(roomId);
  const [info, m] = await Promise.all([api.queryRoomInfo({ roomId }), api.queryMembership({ roomId, userId })]);
  if (!info.exists) throw MatrixError.notFound(`Unknown room ${roomId}`);
  if (m.membership !== 'join') throw MatrixError.forbidden(`You are not joined to ${roomId}`);
}

/**
 * The event, when it is in the room and the reader may see it.
 * @throws MatrixError 404 M_NOT_FOUND otherwise (unknown, elsewhere, or hidden: the spec's
 *   answer to an event one may not see).
 */
export async function readableEvent(api: ClientRoomserverAPI, roomId: string, eventId: string, reader: RoomReader): Promise<StoredRoomEvent> {
  checkRoomIdParam(roomId);
  const [found] = (await api.queryEvents({ eventIds: [eventId] })).events;
  if (!found || found.roomId !== roomId || !(await visibleEventIds(api, roomId, [eventId], reader)).has(eventId)) {
    throw MatrixError.notFound('Event not found');
  }
  return found;
}

/** Those of the room's `eventIds` the reader may see (see the file comment). */
export async function visibleEventIds(api: ClientRoomserverAPI, roomId: string, eventIds: readonly string[], reader: RoomReader): Promise<Set<string>> {
  const anonymous = reader.isGuest && !(await roomSettings(api, roomId)).guestCanJoin;
  const { events } = await api.queryEventVisibility({ eventIds, ...(anonymous ? {} : { userId: reader.userId }) });
  return new Set(events.filter((e) => e.visible).map((e) => e.eventId));
}

/** The two settings of the current state that decide access. */
async function roomSettings(api: ClientRoomserverAPI, roomId: string): Promise<{ worldReadable: boolean; guestCanJoin: boolean }> {
  const { events } = await api.queryState({
    roomId,
    stateTuples: [
      ['m.room.history_visibility', ''],
      ['m.room.guest_access', ''],
    ],
  });
  const content = (type: string): JsonObject | undefined => events.find((e) => e.event.type === type)?.event.content as JsonObject | undefined;
  return {
    worldReadable: content('m.room.history_visibility')?.history_visibility === 'world_readable',
    guestCanJoin: content('m.room.guest_access')?.guest_access === 'can_join',
  };
}
