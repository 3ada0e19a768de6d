/**
 * `performBackfill`: older events of a room from another server (spec "Backfilling and
 * retrieving missing events"), for the roomserver to place below what it holds. Each candidate
 * in turn gets `GET /backfill/{roomId}?v=…&limit=`; the first whose answer holds an event we
 * did not name is the origin. Its PDUs are parsed in the room's version and kept only when in
 * the room (signatures, hashes and auth are the roomserver's checks on input).
 *
 * The oldest events of a batch usually have prev events nobody here has: the roomserver cannot
 * derive the state before them. For those (the first few, oldest first) the state comes from the
 * origin (`fetch-backfill-state.ts`), stored as outliers before we answer.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { roomVersion, type RoomVersion } from '../../matrix/room-version.js';
import type { BackfilledPdu, PerformBackfillRequest, PerformBackfillResponse } from '../api.js';
import type { FederationClient } from '../client/federation-client.js';
import { parseRemotePdu } from '../inbound/parse-remote-pdu.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { fetchBackfillState } from './fetch-backfill-state.js';
import { candidateServers, requireClient } from './remote-servers.js';

/** The most events asked of a server at once (what servers answer at most; Synapse's cap). */
const MAX_LIMIT = 100;
/** Events of one batch that get a fetched state before them. */
const MAX_STATE_FETCHES = 3;

/** Fetches the events before `fromEventIds` from the first server that has some. */
export async function performBackfill(ctx: FederationInternalContext, req: PerformBackfillRequest): Promise<PerformBackfillResponse> {
  const client = requireClient(ctx);
  const info = await ctx.roomserver.queryRoomInfo({ roomId: req.roomId });
  if (!info.exists || info.roomVersion === null) throw MatrixError.notFound(`Room ${req.roomId} is not known here`);
  const rv = roomVersion(info.roomVersion);
  const empty: PerformBackfillResponse = { roomVersion: rv.id, origin: null, events: [], statesBefore: [] };
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(req.limit)));
  if (req.fromEventIds.length === 0) return empty;
  for (const server of candidateServers(ctx, req.servers)) {
    let events: RoomEvent[];
    try {
      events = await askServer(client, server, req, limit, rv);
    } catch (e) {
      ctx.logger?.info({ server, roomId: req.roomId, err: e instanceof Error ? e.message : String(e) }, 'backfill failed, trying the next server');
      continue;
    }
    const asked = new Set(req.fromEventIds);
    if (!events.some((e) => !asked.has(e.eventId))) continue;
    const statesBefore = await statesForRoots(ctx, client, server, rv, events);
    const pdus: BackfilledPdu[] = events.map((e) => ({ eventId: e.eventId, event: e.json }));
    return { roomVersion: rv.id, origin: server, events: pdus, statesBefore };
  }
  return empty;
}

/** One server's answer, parsed, deduplicated and sorted oldest first. */
async function askServer(client: Pick<FederationClient, 'request'>, server: string, req: PerformBackfillRequest, limit: number, rv: RoomVersion): Promise<RoomEvent[]> {
  const res = await client.request<unknown>({
    method: 'GET',
    destination: server,
    path: `/_matrix/federation/v1/backfill/${encodeURIComponent(req.roomId)}`,
    query: { v: [...req.fromEventIds], limit },
  });
  const pdus = isJsonObject(res) && Array.isArray(res.pdus) ? res.pdus : [];
  const byId = new Map<string, RoomEvent>();
  // A server answering more than asked is cut: only `limit` PDUs are looked at.
  for (const pdu of pdus.slice(0, limit)) {
    const parsed = parseRemotePdu(pdu, rv, req.roomId);
    if (parsed.ok) byId.set(parsed.event.eventId, parsed.event);
  }
  return [...byId.values()].sort((a, b) => a.depth - b.depth || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

/**
 * The state before each of the first few events of the batch (oldest first) that the roomserver
 * could not place from their prev events: some prev event is neither in the batch nor in our DAG.
 * Events we already hold in the DAG need nothing.
 */
async function statesForRoots(
  ctx: FederationInternalContext,
  client: Pick<FederationClient, 'request'>,
  origin: string,
  rv: RoomVersion,
  events: readonly RoomEvent[],
): Promise<{ eventId: string; stateEventIds: string[] }[]> {
  const inBatch = new Set(events.map((e) => e.eventId));
  const outside = [...new Set(events.flatMap((e) => e.prevEvents))].filter((id) => !inBatch.has(id));
  const ids = [...new Set([...outside, ...inBatch])];
  const { events: stored } = await ctx.roomserver.queryEvents({ eventIds: ids });
  const placed = new Set(stored.filter((s) => !s.outlier).map((s) => s.eventId));
  const roots = events.filter((e) => !placed.has(e.eventId) && e.prevEvents.some((p) => !inBatch.has(p) && !placed.has(p)));
  const out: { eventId: string; stateEventIds: string[] }[] = [];
  for (const root of roots.slice(0, MAX_STATE_FETCHES)) {
    try {
      out.push({ eventId: root.eventId, stateEventIds: await fetchBackfillState(ctx, client, origin, rv, root) });
    } catch (e) {
      // Without its state the event is not placed (nor the events after it): the batch stops there.
      ctx.logger?.info({ origin, eventId: root.eventId, err: e instanceof Error ? e.message : String(e) }, 'backfill: could not fetch the state before an event');
    }
  }
  return out;
}
