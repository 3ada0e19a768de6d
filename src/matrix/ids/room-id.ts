/**
 * Room IDs (spec appendix "Room IDs"): `!opaque:server` up to room version 11, and from v12 the
 * create event's ID with `!` instead of `$` (URL-safe base64 of a SHA-256, no server).
 */
import { byteLength, invalid, MAX_ID_BYTES, ok, opaqueLocalpartFault, type IdResult } from './id-result.js';
import type { RoomVersion } from '../room-version.js';
import { parseServerName } from './server-name.js';

/** A parsed room ID. */
export type RoomIdParts =
  | { readonly kind: 'server'; readonly localpart: string; readonly serverName: string }
  | { readonly kind: 'hash'; readonly hash: string };

/** 32 bytes in URL-safe unpadded base64. */
const URL_SAFE_HASH = /^[A-Za-z0-9_-]{43}$/;

/**
 * Parses a room ID. With a room version, only that version's form is accepted; without one
 * (e.g. a path parameter before the room is known), either form is.
 */
export function parseRoomId(id: string, rv?: RoomVersion): IdResult<RoomIdParts> {
  if (!id.startsWith('!')) return invalid('a room ID starts with "!"');
  if (byteLength(id) > MAX_ID_BYTES) return invalid(`a room ID is at most ${MAX_ID_BYTES} bytes`);
  const colon = id.indexOf(':');
  if (colon < 0) {
    if (rv && !rv.roomIdIsCreateHash) return invalid(`room version ${rv.id} room IDs have the form !opaque:server`);
    const hash = id.slice(1);
    if (!URL_SAFE_HASH.test(hash)) return invalid('a room ID without a server is a URL-safe base64 SHA-256 hash');
    return ok({ kind: 'hash', hash });
  }
  if (rv?.roomIdIsCreateHash) return invalid(`room version ${rv.id} room IDs have no server part`);
  const localpart = id.slice(1, colon);
  const fault = opaqueLocalpartFault(localpart);
  if (fault) return invalid(`the room ID localpart ${fault}`);
  const serverName = id.slice(colon + 1);
  const server = parseServerName(serverName);
  if (!server.ok) return invalid(`invalid server name: ${server.reason}`);
  return ok({ kind: 'server', localpart, serverName });
}

/** Whether `id` is a room ID (for `rv` when given). */
export function isValidRoomId(id: string, rv?: RoomVersion): boolean {
  return parseRoomId(id, rv).ok;
}
