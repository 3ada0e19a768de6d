/**
 * Who may read a room over federation. The spec names the cases (events.yaml: 403 when "the
 * requesting host is not in the room, or is excluded from the room via `m.room.server_acl`"; the
 * ACL section lists `/state`, `/state_ids`, `/backfill`, `/event_auth` and `/get_missing_events`
 * as protected); Synapse applies both to all six read routes (`assert_host_in_room` and
 * `check_server_matches_acl` in `federation_server.py` / `handlers/federation.py`), and so do we:
 *
 * 1. the room must have state here, else 404 `M_NOT_FOUND`;
 * 2. the asking server must have a user joined to the room *now*, else 403 `M_FORBIDDEN` —
 *    checked before the ACL so a stranger learns nothing of the ACL's content (Synapse's order);
 * 3. the room's current server ACL must allow it, else 403 `M_FORBIDDEN`.
 *
 * Being in the room is not enough to see every event: the routes that return events pass them
 * through {@link pdusForServer} (`served-pdus.ts`), which applies history visibility.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { roomVersion, type RoomVersion } from '../../matrix/room-version.js';
import { requireServerAllowedByAcl } from '../auth/server-acl-check.js';
import type { RoomReadRoomserverAPI } from './room-read-deps.js';

/**
 * Checks that `origin` may read `roomId`; the room's version when it may.
 * @throws MatrixError 404 for a room without state here, 403 for a server not in it or denied by its ACL.
 */
export async function requireRoomReadAccess(api: RoomReadRoomserverAPI, origin: string, roomId: string): Promise<RoomVersion> {
  const info = await api.queryRoomInfo({ roomId });
  if (!info.exists || info.roomVersion === null || info.latestEventIds.length === 0) throw MatrixError.notFound(`Unknown room ${roomId}`);
  const { serverNames } = await api.queryJoinedServers({ roomId });
  if (!serverNames.includes(origin)) throw MatrixError.forbidden(`Server ${origin} is not in room ${roomId}`);
  const acl = await api.queryState({ roomId, stateTuples: [['m.room.server_acl', '']] });
  const content = acl.events[0]?.event.content;
  requireServerAllowedByAcl(origin, isObject(content) ? content : undefined, roomId);
  return roomVersion(info.roomVersion);
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
