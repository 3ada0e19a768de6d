/**
 * The second way to place an event whose prev event P is unknown: take the state from the
 * origin. `GET /state_ids/{roomId}?event_id=P` gives the state before P and its auth chain as
 * IDs; the events we lack come one by one from `GET /event/{id}` and are stored as outliers
 * (auth events first), P too; the state before the event is then the state before P with P's
 * own change (when P is an accepted state event). The roomserver checks the event against it.
 *
 * Only an event with a single prev event is placed this way. With several, the state before
 * it is the resolution of the states after each, which the roomserver cannot take from us yet
 * (it takes one supplied state): such an event is reported as not placed.
 */
import { isJsonObject, type JsonValue } from '../../matrix/json.js';
import { stateMapKey, type RoomEvent } from '../../matrix/room-event.js';
import { fetchRemoteEvents } from './fetch-remote-events.js';
import { InboundPduError, type InboundRoomContext } from './inbound-room-context.js';
import { inputOutliers } from './input-outliers.js';
import { unknownEventIds } from './unknown-event-ids.js';

/** What we know of a state event: its state key, and whether it may count in a state. */
interface StateEntry {
  readonly key: string | undefined;
  readonly usable: boolean;
}

/**
 * The state before `event` as event IDs, every one of them stored.
 * @throws InboundPduError when the event has several prev events, the origin's answer is
 * unusable, or the budget does not cover the events to fetch.
 * @throws FederationRequestError when the origin fails.
 */
export async function fetchStateBefore(ctx: InboundRoomContext, event: RoomEvent): Promise<string[]> {
  const [prev, ...others] = event.prevEvents;
  if (prev === undefined || others.length > 0) {
    throw new InboundPduError('prev_events/missing', 'several prev events are unknown: the state before the event is not fetched for that case yet');
  }
  const { deps, origin, roomId } = ctx;
  const res = await deps.federationClient.request<unknown>({
    method: 'GET',
    destination: origin,
    path: `/_matrix/federation/v1/state_ids/${encodeURIComponent(roomId)}`,
    query: { event_id: prev },
  });
  const stateIds = isJsonObject(res) ? stringArray(res.pdu_ids) : undefined;
  const chainIds = isJsonObject(res) ? stringArray(res.auth_chain_ids) : undefined;
  if (!stateIds || !chainIds) throw new InboundPduError('prev_events/missing', `${origin} gave no usable state at ${prev}`);

  const api = deps.sendRoomserverApi;
  const missing = await unknownEventIds(api, [...chainIds, ...stateIds, prev]);
  const fetched = await fetchRemoteEvents(ctx, missing);
  const results = await inputOutliers(ctx, fetched);
  const entries = new Map<string, StateEntry>();
  for (const e of fetched) entries.set(e.eventId, { key: keyOf(e.type, e.stateKey), usable: results.get(e.eventId)?.accepted === true });
  const stored = await api.queryEvents({ eventIds: [...stateIds, prev].filter((id) => !entries.has(id)) });
  for (const s of stored.events) entries.set(s.eventId, { key: keyOf(s.event.type, s.event.state_key), usable: !s.rejected });

  const state = new Map<string, string>();
  for (const id of stateIds) {
    const entry = entries.get(id);
    if (!entry) throw new InboundPduError('prev_events/missing', `state event ${id} could not be fetched from ${origin}`);
    // A state event we rejected stays out of the state, whatever the origin thinks of it.
    if (entry.usable && entry.key !== undefined) state.set(entry.key, id);
  }
  const p = entries.get(prev);
  if (!p) throw new InboundPduError('prev_events/missing', `prev event ${prev} could not be fetched from ${origin}`);
  if (p.usable && p.key !== undefined) state.set(p.key, prev);
  return [...state.values()];
}

function stringArray(v: JsonValue | undefined): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

function keyOf(type: JsonValue | undefined, stateKey: JsonValue | undefined): string | undefined {
  return typeof type === 'string' && typeof stateKey === 'string' ? stateMapKey(type, stateKey) : undefined;
}
