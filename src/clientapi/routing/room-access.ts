/**
 * Who may read a room, for the read endpoints (state, members, events): a joined user reads the
 * current state; a user who left or was banned reads the room as it was when they left, as the
 * spec says of `/state` and `/members`; anyone else gets 403. History visibility
 * (`world_readable` rooms, events from before one's leave) is enforced later, with the syncapi.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import { checkRoomIdParam } from './account-data.js';

/** Where the user reads the room from: the current state, or the state after their leave event. */
export interface ReadPoint {
  readonly atEventId?: string;
}

/**
 * The user's read point in the room.
 * @throws MatrixError 400 for a malformed room ID, 404 M_NOT_FOUND for an unknown room,
 *   403 M_FORBIDDEN when the user never was a member.
 */
export async function roomReadPoint(api: ClientRoomserverAPI, roomId: string, userId: string): Promise<ReadPoint> {
  const m = await requireKnownRoom(api, roomId, userId);
  if (m.membership === 'join') return {};
  if ((m.membership === 'leave' || m.membership === 'ban') && m.eventId !== null) return { atEventId: m.eventId };
  throw MatrixError.forbidden(`You are not a member of ${roomId}`);
}

/** 403 unless the user is joined to the room (404 for an unknown room). */
export async function requireJoined(api: ClientRoomserverAPI, roomId: string, userId: string): Promise<void> {
  const m = await requireKnownRoom(api, roomId, userId);
  if (m.membership !== 'join') throw MatrixError.forbidden(`You are not joined to ${roomId}`);
}

async function requireKnownRoom(api: ClientRoomserverAPI, roomId: string, userId: string): Promise<{ membership: string | null; eventId: string | null }> {
  checkRoomIdParam(roomId);
  const [info, m] = await Promise.all([api.queryRoomInfo({ roomId }), api.queryMembership({ roomId, userId })]);
  if (!info.exists) throw MatrixError.notFound(`Unknown room ${roomId}`);
  return m;
}
