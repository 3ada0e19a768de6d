/**
 * Events as another server gets them from us: the stored PDU, in the room version's federation
 * format, with `unsigned` as stored minus what only makes sense here; and, for an asker that may
 * not see an event by history visibility, its redacted form.
 *
 * Redacting rather than leaving out is Synapse's choice (`filter_events_for_server(...,
 * redact=True)` in `get_persisted_pdu`, `on_backfill_request` and `on_get_missing_events`): the
 * asker still gets a DAG without holes — IDs, prev and auth events, hashes and signatures, which
 * survive redaction and still verify — but no content it may not read. The spec leaves server
 * visibility to implementations; the rule applied is the roomserver's (`history-visibility.ts`):
 * `world_readable` and `shared` events are visible to any server, `invited` ones when one of its
 * users was invited or joined at the event, `joined` ones when one was joined.
 */
import type { JsonObject } from '../../matrix/json.js';
import { redactEvent } from '../../matrix/redact-event.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { StoredRoomEvent } from '../../roomserver/api.js';
import type { RoomReadRoomserverAPI } from './room-read-deps.js';

/** `unsigned` keys that describe our local view of an event, not the event. */
const LOCAL_UNSIGNED: readonly string[] = ['transaction_id', 'redacted_because'];

/** The PDU as stored, without local-only `unsigned` keys (and without `unsigned` if nothing is left). */
export function federationPdu(e: StoredRoomEvent): JsonObject {
  const unsigned = e.event.unsigned;
  if (typeof unsigned !== 'object' || unsigned === null || Array.isArray(unsigned)) return e.event;
  if (!LOCAL_UNSIGNED.some((k) => Object.hasOwn(unsigned, k))) return e.event;
  const kept: JsonObject = {};
  for (const [k, v] of Object.entries(unsigned)) if (!LOCAL_UNSIGNED.includes(k)) kept[k] = v;
  const { unsigned: _dropped, ...rest } = e.event;
  return Object.keys(kept).length > 0 ? { ...rest, unsigned: kept } : rest;
}

/** The events for `origin`, in the order given: whole where it may see them, redacted where not. */
export async function pdusForServer(api: RoomReadRoomserverAPI, origin: string, events: readonly StoredRoomEvent[]): Promise<JsonObject[]> {
  if (events.length === 0) return [];
  const { events: verdicts } = await api.queryEventVisibility({ eventIds: events.map((e) => e.eventId), serverName: origin });
  const visible = new Set(verdicts.filter((v) => v.visible).map((v) => v.eventId));
  return events.map((e) => (visible.has(e.eventId) ? federationPdu(e) : redactEvent(e.event, roomVersion(e.roomVersion))));
}
