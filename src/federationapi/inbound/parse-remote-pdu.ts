/**
 * A PDU another server sent or served, parsed in its room's version (spec "Checks performed on
 * receipt of a PDU", step 1: an event that is not valid for the version is dropped). Signatures,
 * hashes and auth rules are the roomserver's checks on input; here we only need the event's ID,
 * room and DAG links to answer, group and fill gaps.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { computeEventId } from '../../matrix/event-id.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { RoomVersion } from '../../matrix/room-version.js';

/** The parsed event, or why it is invalid (with the ID the sender means, when it can be told). */
export type ParsedPdu =
  | { readonly ok: true; readonly event: RoomEvent }
  | { readonly ok: false; readonly eventId: string | undefined; readonly reason: string };

/** Parses `json` as an event of `roomId` in version `rv`. */
export function parseRemotePdu(json: unknown, rv: RoomVersion, roomId: string): ParsedPdu {
  if (!isJsonObject(json)) return { ok: false, eventId: undefined, reason: 'a PDU must be a JSON object' };
  let event: RoomEvent;
  try {
    event = parseEvent(json, rv);
  } catch (e) {
    if (!(e instanceof MatrixError)) throw e;
    return { ok: false, eventId: pduEventId(json, rv), reason: e.message };
  }
  if (event.roomId !== roomId) return { ok: false, eventId: event.eventId, reason: `the event is not in room ${roomId}` };
  return { ok: true, event };
}

/**
 * The ID of a PDU as its sender computed it, without validating it: `event_id` in v1–v2,
 * the reference hash from v3. Undefined when it cannot be computed (not even hashable).
 */
export function pduEventId(json: JsonObject, rv: RoomVersion): string | undefined {
  if (rv.eventIdFormat === 'legacy') return typeof json.event_id === 'string' ? json.event_id : undefined;
  const { event_id: _ignored, ...rest } = json;
  try {
    return computeEventId(rest, rv);
  } catch {
    return undefined;
  }
}
