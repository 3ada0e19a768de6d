/**
 * A room event as a response serves it — a `/sync` room section, or `/messages`, `/context`,
 * `/relations` and `/threads` (`history/history-serving.ts`): in the filter's `event_format` (the
 * stored client form, with or without `room_id`, or the PDU), reduced to its `event_fields`, with
 * the `unsigned` fields computed at serve time — `age`, the requesting user's `membership` at the
 * event (v1.11), `transaction_id` for the device that sent it, and the bundled aggregations
 * (`m.relations`). This is the one place a stored room event gets its served form.
 *
 * Most events need only text edits, so the stored JSON is not parsed (DESIGN §10): the client
 * form is written by `toClientEvent`, which puts `event_id` and `room_id` first, so dropping
 * `room_id` is cutting a recognised prefix; and when the text holds no `"unsigned"` at all, the
 * event has no `unsigned` object and one is appended before its closing brace. Its top-level
 * `origin_server_ts` is then the last occurrence of that key: only `state_key` and `redacts`
 * (strings, whose quotes are escaped) follow `content`. Anything else is parsed and rebuilt.
 */
import type { JsonObject } from '../../matrix/json.js';
import { applyEventFields } from '../filter/event-fields.js';
import { formatEvent, type EventFormatOptions } from '../filter/event-format.js';
import { rawJson } from './raw-json.js';
import type { ResponseEvent } from './sync-response.js';

/** How one response serves its room events. */
export interface EventServing {
  readonly format: EventFormatOptions;
  /** Serve time (ms since the epoch), for `unsigned.age`. */
  readonly now: number;
  /** The PDUs of the events served, by event ID, when the format is `federation`. */
  readonly pdus: ReadonlyMap<string, JsonObject>;
}

/** Per-event `unsigned` additions. */
export interface UnsignedExtras {
  /** The requesting user's membership at the event; omitted when unknown. */
  readonly membership?: string;
  /** Echoed to the device that sent the event only. */
  readonly transactionId?: string;
  /** The event's bundled aggregations (`relations/bundle-aggregations.ts`), as `m.relations`. */
  readonly relations?: JsonObject;
}

const CLIENT_FORMAT: EventFormatOptions = Object.freeze({ format: 'client', includeRoomId: true });
const NO_PDUS: ReadonlyMap<string, JsonObject> = new Map();

/**
 * How endpoints without an `event_format` / `event_fields` filter serve events: the client form
 * with its `room_id` (the spec's `ClientEvent`), as `/messages`, `/context`, `/relations` and
 * `/threads` return them (their `filter` is a `RoomEventFilter`, which has neither field).
 */
export function clientEventServing(now: number): EventServing {
  return { format: CLIENT_FORMAT, now, pdus: NO_PDUS };
}

/** One stored event (client-format JSON text) as `serving` asks. */
export function serveEvent(eventId: string, roomId: string, json: string, extras: UnsignedExtras, serving: EventServing): ResponseEvent {
  const pdu = serving.format.format === 'federation' ? serving.pdus.get(eventId) : undefined;
  if (pdu) {
    const unsigned = { ...objectOr(pdu.unsigned), ...unsignedOf(pdu.origin_server_ts, extras, serving.now) };
    return formatEvent(eventId, roomId, { ...pdu, unsigned }, serving.format);
  }
  const keepRoomId = serving.format.includeRoomId ?? true;
  if (serving.format.eventFields === undefined || serving.format.eventFields.length === 0) {
    const text = keepRoomId ? json : withoutRoomId(json);
    if (text !== undefined && !text.includes('"unsigned"') && text.endsWith('}')) {
      const unsigned = unsignedOf(originServerTsOf(text), extras, serving.now);
      return rawJson(Object.keys(unsigned).length === 0 ? text : `${text.slice(0, -1)},"unsigned":${JSON.stringify(unsigned)}}`);
    }
  }
  const ev = JSON.parse(json) as JsonObject;
  if (!keepRoomId) delete ev.room_id;
  ev.unsigned = { ...objectOr(ev.unsigned), ...unsignedOf(ev.origin_server_ts, extras, serving.now) };
  return applyEventFields(ev, serving.format.eventFields);
}

const ROOM_ID_PREFIX = /^\{"event_id":("(?:[^"\\]|\\.)*"),"room_id":"(?:[^"\\]|\\.)*",/;

/** The client-form text without its `room_id`; undefined when it does not start as `toClientEvent` writes. */
export function withoutRoomId(json: string): string | undefined {
  const m = ROOM_ID_PREFIX.exec(json);
  return m ? `{"event_id":${m[1]!},${json.slice(m[0].length)}` : undefined;
}

const TS_KEY = '"origin_server_ts":';
const INTEGER = /-?\d+/y;

/** The top-level `origin_server_ts` of client-form text without `unsigned` (see the file comment). */
function originServerTsOf(text: string): number | undefined {
  const at = text.lastIndexOf(TS_KEY);
  if (at < 0) return undefined;
  INTEGER.lastIndex = at + TS_KEY.length;
  const m = INTEGER.exec(text);
  return m ? Number(m[0]) : undefined;
}

function unsignedOf(originServerTs: unknown, extras: UnsignedExtras, now: number): JsonObject {
  const out: JsonObject = {};
  // Never negative: a sender's clock ahead of ours is no reason to tell a client it is from the future.
  if (typeof originServerTs === 'number' && Number.isFinite(originServerTs)) out.age = Math.max(0, now - originServerTs);
  if (extras.membership !== undefined) out.membership = extras.membership;
  if (extras.transactionId !== undefined) out.transaction_id = extras.transactionId;
  if (extras.relations !== undefined) out['m.relations'] = extras.relations;
  return out;
}

function objectOr(v: unknown): JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
}
