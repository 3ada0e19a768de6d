/**
 * The first way to fill a gap before an event: ask its origin for the events between our
 * forward extremities and it (`POST /get_missing_events/{roomId}`, spec "Backfilling and
 * retrieving missing events"), and input them oldest first as live events. A small gap (a few
 * events we missed) is closed this way; a larger one is left for the state fetch.
 */
import { isJsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { InboundRoomContext } from './inbound-room-context.js';
import { parseRemotePdu } from './parse-remote-pdu.js';

/** How many missing events we ask for (Synapse asks for 10). */
export const MISSING_EVENTS_LIMIT = 10;

/**
 * Fetches and inputs the events missing before `event`; how many were input.
 * @throws FederationRequestError when the origin fails.
 */
export async function fetchMissingPrevEvents(ctx: InboundRoomContext, event: RoomEvent): Promise<number> {
  const { deps, origin, roomId } = ctx;
  const api = deps.sendRoomserverApi;
  const info = await api.queryRoomInfo({ roomId });
  const latest = await api.queryEvents({ eventIds: info.latestEventIds });
  const depths = latest.events.map((e) => (typeof e.event.depth === 'number' ? e.event.depth : 0));
  const res = await deps.federationClient.request<unknown>({
    method: 'POST',
    destination: origin,
    path: `/_matrix/federation/v1/get_missing_events/${encodeURIComponent(roomId)}`,
    body: {
      earliest_events: [...info.latestEventIds],
      latest_events: [event.eventId],
      limit: MISSING_EVENTS_LIMIT,
      min_depth: depths.length > 0 ? Math.min(...depths) : 0,
    },
  });
  const pdus = isJsonObject(res) && Array.isArray(res.events) ? res.events : [];
  const events: RoomEvent[] = [];
  const seen = new Set<string>([event.eventId]);
  for (const pdu of pdus.slice(0, MISSING_EVENTS_LIMIT)) {
    const p = parseRemotePdu(pdu, ctx.rv, roomId);
    if (p.ok && !seen.has(p.event.eventId)) {
      seen.add(p.event.eventId);
      events.push(p.event);
    }
  }
  if (events.length === 0 || !ctx.budget.take(events.length)) return 0;
  // Oldest first whatever order the origin chose: each may be the prev event of the next.
  events.sort((a, b) => a.depth - b.depth);
  const { results } = await api.inputRoomEvents({
    inputs: events.map((e) => ({ kind: 'new' as const, event: e.json, roomVersion: ctx.rv.id, origin })),
  });
  for (const r of results) {
    if (!r.accepted) deps.logger?.debug({ origin, roomId, eventId: r.eventId, rejection: r.rejection }, 'federation /send: a missing event was not accepted');
  }
  return events.length;
}
