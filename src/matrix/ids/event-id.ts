/**
 * Event IDs (spec appendix "Event IDs" and the room versions' event ID sections):
 * `$opaque:server` in v1–v2, `$` + standard base64 of a SHA-256 in v3, `$` + URL-safe base64
 * from v4. All at most 255 bytes.
 */
import { byteLength, invalid, MAX_ID_BYTES, ok, opaqueLocalpartFault, type IdResult } from './id-result.js';
import type { RoomVersion } from '../room-version.js';
import { parseServerName } from './server-name.js';

/** A parsed event ID: the server is known only for v1–v2 IDs. */
export interface EventIdParts {
  readonly opaque: string;
  readonly serverName: string | undefined;
}

const STANDARD_HASH = /^[A-Za-z0-9+/]{43}$/;
const URL_SAFE_HASH = /^[A-Za-z0-9_-]{43}$/;

/**
 * Parses an event ID. With a room version the version's exact format is required; without one
 * only the sigil and the length are checked (the ID is opaque to most of the server).
 */
export function parseEventId(id: string, rv?: RoomVersion): IdResult<EventIdParts> {
  if (!id.startsWith('$')) return invalid('an event ID starts with "$"');
  if (byteLength(id) > MAX_ID_BYTES) return invalid(`an event ID is at most ${MAX_ID_BYTES} bytes`);
  if (id.length === 1) return invalid('the event ID is empty');
  const body = id.slice(1);
  switch (rv?.eventIdFormat) {
    case undefined:
      return ok({ opaque: body, serverName: undefined });
    case 'hash-standard':
      return STANDARD_HASH.test(body) ? ok({ opaque: body, serverName: undefined }) : invalid('not a v3 (base64 hash) event ID');
    case 'hash-urlsafe':
      return URL_SAFE_HASH.test(body) ? ok({ opaque: body, serverName: undefined }) : invalid('not a URL-safe base64 hash event ID');
    case 'legacy': {
      const colon = body.indexOf(':');
      if (colon < 0) return invalid(`room version ${rv.id} event IDs have the form $opaque:server`);
      const opaque = body.slice(0, colon);
      const fault = opaqueLocalpartFault(opaque);
      if (fault) return invalid(`the event ID localpart ${fault}`);
      const serverName = body.slice(colon + 1);
      const server = parseServerName(serverName);
      return server.ok ? ok({ opaque, serverName }) : invalid(`invalid server name: ${server.reason}`);
    }
  }
}

/** Whether `id` is an event ID (for `rv` when given). */
export function isValidEventId(id: string, rv?: RoomVersion): boolean {
  return parseEventId(id, rv).ok;
}
