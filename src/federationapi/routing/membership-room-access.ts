/**
 * The checks every inbound membership route makes of the room and the asking server, in
 * Synapse's order (`on_make_join_request` and friends in `federation_server.py`): the room must
 * have a head here (404: we cannot build on or accept into a room we are not in), its version
 * must be one the asker speaks (`make_join`/`make_knock`: 400 `M_INCOMPATIBLE_ROOM_VERSION`),
 * and its server ACL must allow the asker (403). Unlike the read routes, the asker need not be
 * in the room: joining is how it gets in.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject } from '../../matrix/json.js';
import { roomVersion, type RoomVersion } from '../../matrix/room-version.js';
import { requireServerAllowedByAcl } from '../auth/server-acl-check.js';
import type { MembershipRoomserverAPI } from './membership-deps.js';

/**
 * Checks `origin` may act on `roomId`; the room's version when it may.
 * @param supported the versions the asker speaks (`ver`), when the route takes them.
 * @throws MatrixError 404 unknown room, 400 `M_INCOMPATIBLE_ROOM_VERSION`, 403 denied by the ACL.
 */
export async function requireMembershipRoom(
  api: MembershipRoomserverAPI,
  origin: string,
  roomId: string,
  supported?: readonly string[],
): Promise<RoomVersion> {
  const info = await api.queryRoomInfo({ roomId });
  if (!info.exists || info.roomVersion === null || info.latestEventIds.length === 0) throw MatrixError.notFound(`Unknown room ${roomId}`);
  if (supported && !supported.includes(info.roomVersion)) {
    throw MatrixError.incompatibleRoomVersion(info.roomVersion, `Room ${roomId} has version ${info.roomVersion}, which your server does not support`);
  }
  await requireAclAllows(api, origin, roomId);
  return roomVersion(info.roomVersion);
}

/** 403 when the room's current server ACL denies `origin` (no ACL: everyone allowed). */
export async function requireAclAllows(api: MembershipRoomserverAPI, origin: string, roomId: string): Promise<void> {
  const acl = await api.queryState({ roomId, stateTuples: [['m.room.server_acl', '']] });
  const content = acl.events[0]?.event.content;
  requireServerAllowedByAcl(origin, isJsonObject(content) ? content : undefined, roomId);
}

/** 403 unless `userId` belongs to the server asking for it. */
export function requireUserOfOrigin(userId: string, origin: string): void {
  if (domainOf(userId) !== origin) throw MatrixError.forbidden(`User ${userId} is not from server ${origin}`);
}
