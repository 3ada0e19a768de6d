/**
 * Building this server's own events: from the fields a server decides (type, sender, content,
 * DAG position…) to a hashed, signed PDU in the room version's format, parsed back into a
 * {@link RoomEvent} so it has passed exactly the checks a remote server will apply.
 */
import { randomBytes } from 'node:crypto';
import { parseEvent } from './parse-event.js';
import type { JsonObject, JsonValue } from './json.js';
import type { RoomEvent } from './room-event.js';
import type { RoomVersion } from './room-version.js';
import { hashSignAndIdentifyEvent } from './sign-event.js';
import type { SigningKey } from './signing-key.js';

/** The fields of a new event, named as in the PDU. */
export interface EventProto {
  readonly type: string;
  /** Present for state events (`""` is a valid state key). */
  readonly state_key?: string;
  readonly sender: string;
  readonly content: JsonObject;
  /** Omitted only for a v12 `m.room.create`, whose room ID is derived from the event. */
  readonly room_id?: string;
  readonly prev_events: readonly string[];
  readonly auth_events: readonly string[];
  readonly depth: number;
  readonly origin_server_ts: number;
  /** For `m.room.redaction`: placed under `content` from v11, at the top level before. */
  readonly redacts?: string;
}

/** Who signs the event. */
export interface EventSigner {
  readonly serverName: string;
  readonly key: SigningKey;
}

/** Options for {@link buildEvent}. */
export interface BuildEventOptions {
  /** v1–v2 only: the event ID to use; default `$<random>:<serverName>`. */
  readonly eventId?: string;
  /**
   * v1–v2 only: reference hashes (unpadded base64) of the events referenced, for the
   * `[event_id, {sha256}]` pairs. Unknown ones get `{}`, which is what Synapse sends.
   */
  readonly referenceHashes?: ReadonlyMap<string, string>;
}

function eventRefs(ids: readonly string[], rv: RoomVersion, opts: BuildEventOptions | undefined): JsonValue[] {
  if (!rv.eventRefsArePairs) return [...ids];
  return ids.map((id): JsonValue => {
    const sha256 = opts?.referenceHashes?.get(id);
    const hashes: JsonObject = sha256 === undefined ? {} : { sha256 };
    return [id, hashes];
  });
}

/** The unsigned PDU for `proto` in the version's format. */
export function protoToPdu(proto: EventProto, rv: RoomVersion, serverName: string, opts?: BuildEventOptions): JsonObject {
  let content = proto.content;
  const pdu: JsonObject = {
    type: proto.type,
    sender: proto.sender,
    depth: proto.depth,
    origin_server_ts: proto.origin_server_ts,
    prev_events: eventRefs(proto.prev_events, rv, opts),
    auth_events: eventRefs(proto.auth_events, rv, opts),
  };
  if (proto.room_id !== undefined) pdu.room_id = proto.room_id;
  if (proto.state_key !== undefined) pdu.state_key = proto.state_key;
  if (proto.redacts !== undefined) {
    if (rv.redactsInContent) content = { ...content, redacts: proto.redacts };
    else pdu.redacts = proto.redacts;
  }
  pdu.content = content;
  if (rv.eventIdFormat === 'legacy') {
    pdu.event_id = opts?.eventId ?? `$${randomBytes(12).toString('base64url')}:${serverName}`;
  }
  return pdu;
}

/**
 * Builds, hashes, signs and validates a new event.
 * @throws MatrixError `M_BAD_JSON` / `M_TOO_LARGE` if the result is not a valid PDU (e.g. a
 *   client's content with floats in a v6+ room, or over 64 KiB).
 */
export function buildEvent(proto: EventProto, rv: RoomVersion, signer: EventSigner, opts?: BuildEventOptions): RoomEvent {
  const pdu = protoToPdu(proto, rv, signer.serverName, opts);
  const { signed, eventId } = hashSignAndIdentifyEvent(pdu, rv, signer.serverName, signer.key);
  return parseEvent(signed, rv, eventId === undefined ? undefined : { trustedEventId: eventId });
}
