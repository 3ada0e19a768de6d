/**
 * Turning PDU JSON into a {@link RoomEvent}: the format checks of the room version (the spec's
 * `pdu_v*.yaml` schemas and size limits), then the event ID (read in v1–v2, computed from the
 * reference hash from v3) and, for a v12 create event, the room ID it defines.
 *
 * Signatures, hashes and auth rules are separate steps (verify-event.ts, content-hash.ts,
 * auth/): a format failure means the event is dropped, theirs have other consequences.
 */
import { MatrixError } from '../internal/errors/matrix-error.js';
import { canonicalJson } from './canonical-json.js';
import { computeEventId } from './event-id.js';
import { parseEventId } from './ids/event-id.js';
import { parseRoomId } from './ids/room-id.js';
import { parseUserId } from './ids/user-id.js';
import { isJsonObject, type JsonObject } from './json.js';
import {
  optionalString,
  requireEventRefs,
  requireHashes,
  requireInteger,
  requireObject,
  requireSignatures,
  requireString,
} from './pdu-fields.js';
import type { RoomEvent } from './room-event.js';
import type { RoomVersion } from './room-version.js';

/** The spec's limit on a whole PDU, as canonical JSON including signatures. */
export const MAX_PDU_BYTES = 65536;
/** Schema limits on the DAG references of one event. */
export const MAX_PREV_EVENTS = 20;
export const MAX_AUTH_EVENTS = 10;

/** Options for {@link parseEvent}. */
export interface ParseEventOptions {
  /**
   * The event's ID when it is already known and trusted (e.g. read back from our own database),
   * which skips computing the reference hash. Never pass an ID that came with untrusted input.
   */
  readonly trustedEventId?: string;
}

/**
 * Validates `json` as a PDU of room version `rv` and returns it as a {@link RoomEvent}.
 *
 * - v6+ (`strictCanonicalJson`): floats or integers outside ±(2^53−1) anywhere in the PDU are
 *   rejected; v1–v5 accept them (rooms/fragments/v1-canonical-json.md).
 * - v3+: an `event_id` key in the input is not part of the format (some servers add one after
 *   signing); it is removed from `json` before hashing, as Dendrite does.
 * - v12 `m.room.create`: the room ID is derived from the event. A create event that also carries
 *   a `room_id` still parses; auth rule 1.2 rejects it.
 *
 * @throws MatrixError `M_TOO_LARGE` over 65,536 bytes; `M_BAD_JSON` naming the field otherwise.
 */
export function parseEvent(json: JsonObject, rv: RoomVersion, opts?: ParseEventOptions): RoomEvent {
  if (!isJsonObject(json)) throw MatrixError.badJson('An event must be a JSON object');
  const pdu = rv.eventIdFormat === 'legacy' || json.event_id === undefined ? json : withoutEventId(json);
  checkSize(pdu, rv);

  const type = requireString(pdu, 'type');
  const sender = requireString(pdu, 'sender');
  const senderParsed = parseUserId(sender, { allowHistorical: true });
  if (!senderParsed.ok) throw MatrixError.badJson(`Event field "sender": ${senderParsed.reason}`);
  const stateKey = optionalString(pdu, 'state_key');
  const content = requireObject(pdu, 'content');
  const depth = requireInteger(pdu, 'depth', 0);
  const originServerTs = requireInteger(pdu, 'origin_server_ts');
  requireHashes(pdu);
  requireSignatures(pdu);
  if (pdu.unsigned !== undefined) requireObject(pdu, 'unsigned');
  const prevEvents = requireEventRefs(pdu, 'prev_events', rv, MAX_PREV_EVENTS);
  const authEvents = requireEventRefs(pdu, 'auth_events', rv, MAX_AUTH_EVENTS);
  const redacts = readRedacts(pdu, content, type, rv);

  const definesRoomId = rv.roomIdIsCreateHash && type === 'm.room.create';
  const givenRoomId = definesRoomId ? optionalString(pdu, 'room_id') : requireRoomId(pdu, rv);
  const eventId = readEventId(pdu, rv, opts);
  const roomId = definesRoomId ? `!${eventId.slice(1)}` : (givenRoomId as string);

  return {
    eventId,
    roomId,
    type,
    stateKey,
    sender,
    content,
    authEvents,
    prevEvents,
    depth,
    originServerTs,
    redacts,
    json: pdu,
    roomVersion: rv,
  };
}

function withoutEventId(json: JsonObject): JsonObject {
  const { event_id: _dropped, ...rest } = json;
  return rest;
}

/** Size limit over the canonical form; in strict versions this also rejects floats. */
function checkSize(pdu: JsonObject, rv: RoomVersion): void {
  const text = canonicalJson(pdu, { strict: rv.strictCanonicalJson });
  // A UTF-16 unit is at most 3 UTF-8 bytes: skip counting bytes for events clearly small enough.
  if (text.length * 3 > MAX_PDU_BYTES && Buffer.byteLength(text, 'utf8') > MAX_PDU_BYTES) {
    throw MatrixError.tooLarge(`Event is larger than ${MAX_PDU_BYTES} bytes`);
  }
}

function requireRoomId(pdu: JsonObject, rv: RoomVersion): string {
  const roomId = requireString(pdu, 'room_id');
  const parsed = parseRoomId(roomId, rv);
  if (!parsed.ok) throw MatrixError.badJson(`Event field "room_id": ${parsed.reason}`);
  return roomId;
}

/** `redacts` of an `m.room.redaction`: under `content` from v11, top level before. */
function readRedacts(pdu: JsonObject, content: JsonObject, type: string, rv: RoomVersion): string | undefined {
  if (type !== 'm.room.redaction') return undefined;
  const source = rv.redactsInContent ? content : pdu;
  const field = rv.redactsInContent ? 'content.redacts' : 'redacts';
  const redacts = source.redacts;
  if (redacts === undefined) return undefined;
  if (typeof redacts !== 'string') throw MatrixError.badJson(`Event field "${field}" must be a string`);
  const parsed = parseEventId(redacts);
  if (!parsed.ok) throw MatrixError.badJson(`Event field "${field}": ${parsed.reason}`);
  return redacts;
}

function readEventId(pdu: JsonObject, rv: RoomVersion, opts: ParseEventOptions | undefined): string {
  if (rv.eventIdFormat === 'legacy') {
    const id = requireString(pdu, 'event_id');
    const parsed = parseEventId(id, rv);
    if (!parsed.ok) throw MatrixError.badJson(`Event field "event_id": ${parsed.reason}`);
    return id;
  }
  return opts?.trustedEventId ?? computeEventId(pdu, rv);
}
