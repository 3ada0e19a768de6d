/**
 * The filter's `event_format` and `event_fields`, applied to one event as a response serves it.
 * `client` goes through `toClientEvent`, the one conversion every endpoint shares; `federation`
 * is "the raw event as received over federation" (spec), i.e. the PDU unchanged — with whatever
 * `unsigned` the caller already put on it, and without an `event_id` for room versions whose PDUs
 * carry none, as that is what federation carries.
 */
import { toClientEvent } from '../../matrix/client-event.js';
import type { JsonObject } from '../../matrix/json.js';
import { applyEventFields } from './event-fields.js';
import type { EventFormat, SyncFilter } from './filter-types.js';

/** How to serve events. */
export interface EventFormatOptions {
  readonly format: EventFormat;
  /**
   * Keep `room_id` in the client format (default true). `/sync` serves the events of its room
   * sections without it (the spec's `ClientEventWithoutRoomID`): the room is their key.
   */
  readonly includeRoomId?: boolean;
  /** The filter's `event_fields`; every field when absent. */
  readonly eventFields?: readonly string[];
}

/** The options a `/sync` response's room events are served with under `filter`. */
export function syncEventFormat(filter: Pick<SyncFilter, 'eventFormat' | 'eventFields'>): EventFormatOptions {
  return { format: filter.eventFormat, includeRoomId: false, eventFields: filter.eventFields };
}

/** `pdu` (event `eventId` in room `roomId`) as `opts` asks; `pdu` itself is never modified. */
export function formatEvent(eventId: string, roomId: string, pdu: JsonObject, opts: EventFormatOptions): JsonObject {
  const formatted = opts.format === 'federation' ? pdu : clientFormat(eventId, roomId, pdu, opts.includeRoomId ?? true);
  return applyEventFields(formatted, opts.eventFields);
}

function clientFormat(eventId: string, roomId: string, pdu: JsonObject, includeRoomId: boolean): JsonObject {
  const event = toClientEvent(eventId, roomId, pdu) as unknown as JsonObject;
  if (includeRoomId) return event;
  const { room_id: _roomId, ...rest } = event;
  return rest;
}
