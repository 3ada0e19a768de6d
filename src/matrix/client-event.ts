/**
 * The client format of a room event (`ClientEvent` in the client-server API): what clients see of
 * a PDU. The federation-only fields (`auth_events`, `prev_events`, `hashes`, `signatures`,
 * `depth`, and the legacy `origin`, `membership`, `prev_state`) are dropped; `event_id` and
 * `room_id` are always present, even though a v3+ PDU carries no `event_id` and a v12 create
 * event no `room_id`. Every endpoint that returns events (the clientapi's and the syncapi's)
 * converts through this one function, so they cannot drift.
 */
import { isJsonObject, type JsonObject } from './json.js';

/** An event as served to clients. */
export interface ClientEvent {
  readonly event_id: string;
  readonly room_id: string;
  readonly sender: string;
  readonly type: string;
  /** Present for state events. */
  readonly state_key?: string;
  readonly content: JsonObject;
  readonly origin_server_ts: number;
  readonly unsigned?: JsonObject;
  /** Redactions before room v11 carry the redacted event's ID at the top level. */
  readonly redacts?: string;
}

/** The client format of `pdu`, whose ID and room are `eventId` and `roomId`. */
export function toClientEvent(eventId: string, roomId: string, pdu: JsonObject): ClientEvent {
  const out: Record<string, unknown> = {
    event_id: eventId,
    room_id: roomId,
    sender: pdu.sender,
    type: pdu.type,
    content: isJsonObject(pdu.content) ? pdu.content : {},
    origin_server_ts: pdu.origin_server_ts,
  };
  if (typeof pdu.state_key === 'string') out.state_key = pdu.state_key;
  if (typeof pdu.redacts === 'string') out.redacts = pdu.redacts;
  if (isJsonObject(pdu.unsigned) && Object.keys(pdu.unsigned).length > 0) out.unsigned = pdu.unsigned;
  return out as unknown as ClientEvent;
}
