/**
 * `performRemoteTimestampToEvent`: the event closest to a time, asked of other servers in the
 * room when we hold nothing there (a room joined over federation lacks the history before our
 * join). Spec (server-server `timestamp_to_event`): ask a server in the room, then fetch the
 * event it names with `/event` so a client can use it.
 *
 * A few servers are asked, one after another, each with a short time limit: a client waits for
 * this. A server's answer is used only when the event checks out as an event from
 * `fetch-backfill-state.ts` would: it parses in the room's version, is in the room, carries the
 * ID asked for (its hash from v3), and lies on the asked side of `ts` by its own timestamp, not
 * by the server's claim. It is then placed like a backfilled event — the state before it from
 * the same server (`/state_ids`, stored as outliers), then the event as `backfill` on that state —
 * so the roomserver checks its signatures, hash and auth, and history visibility can judge it
 * (an outlier has no state to be judged by). Anything wrong with a server's answer, or the
 * roomserver refusing its event, moves on to the next server; failures of our own (the
 * roomserver down) are thrown.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { roomVersion, type RoomVersion } from '../../matrix/room-version.js';
import type { PerformRemoteTimestampToEventRequest, PerformRemoteTimestampToEventResponse } from '../api.js';
import type { FederationClient } from '../client/federation-client.js';
import { FederationRequestError } from '../client/federation-request-error.js';
import { parseRemotePdu } from '../inbound/parse-remote-pdu.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { fetchBackfillState } from './fetch-backfill-state.js';
import { candidateServers } from './remote-servers.js';

/** Servers asked at most (the spec suggests those in the room longest; we take the caller's order). */
export const MAX_TIMESTAMP_SERVERS = 3;
/** Time limit of each request to a server (ms); a gap's state may take many, a few at a time. */
export const TIMESTAMP_REQUEST_TIMEOUT_MS = 5000;

type Client = Pick<FederationClient, 'request'>;
type Found = NonNullable<PerformRemoteTimestampToEventResponse['event']>;

/** The first usable answer of the room's other servers, or null. */
export async function performRemoteTimestampToEvent(ctx: FederationInternalContext, req: PerformRemoteTimestampToEventRequest): Promise<PerformRemoteTimestampToEventResponse> {
  if (!ctx.client) return { event: null };
  // Every request under the short limit, those of `fetchBackfillState` too: a client waits.
  const base = ctx.client;
  const client: Client = { request: (r) => base.request({ timeoutMs: TIMESTAMP_REQUEST_TIMEOUT_MS, ...r }) };
  const info = await ctx.roomserver.queryRoomInfo({ roomId: req.roomId });
  if (!info.exists || info.roomVersion === null) return { event: null };
  const rv = roomVersion(info.roomVersion);
  for (const server of candidateServers(ctx, req.servers).slice(0, MAX_TIMESTAMP_SERVERS)) {
    try {
      const found = await askServer(ctx, client, server, rv, req);
      if (found) return { event: found };
    } catch (e) {
      if (!isRemoteFailure(e)) throw e;
      ctx.logger?.info({ server, roomId: req.roomId, err: e.message }, 'timestamp_to_event: the server failed, trying the next one');
    }
  }
  return { event: null };
}

/** The event `server` names, once held here; undefined when its answer is unusable. */
async function askServer(ctx: FederationInternalContext, client: Client, server: string, rv: RoomVersion, req: PerformRemoteTimestampToEventRequest): Promise<Found | undefined> {
  const answer = await client.request<unknown>({
    method: 'GET',
    destination: server,
    path: `/_matrix/federation/v1/timestamp_to_event/${encodeURIComponent(req.roomId)}`,
    query: { ts: req.ts, dir: req.dir },
  });
  const eventId = isJsonObject(answer) && typeof answer.event_id === 'string' ? answer.event_id : undefined;
  if (eventId === undefined) return unusable(ctx, server, req, 'no event_id in the answer');

  const [known] = (await ctx.roomserver.queryEvents({ eventIds: [eventId] })).events;
  if (known && !known.outlier) {
    // Already in our DAG (e.g. soft-failed, which our own lookup skips): the caller's visibility check decides.
    const ts = known.event.origin_server_ts;
    if (known.roomId !== req.roomId || known.rejected || typeof ts !== 'number' || !onAskedSide(ts, req)) return unusable(ctx, server, req, `${eventId} is not usable here`);
    return { eventId, originServerTs: ts, server };
  }
  const event = await fetchEvent(client, server, rv, req.roomId, eventId);
  if (!event) return unusable(ctx, server, req, `it served a bad event for ${eventId}`);
  if (!onAskedSide(event.originServerTs, req)) return unusable(ctx, server, req, `${eventId} is on the wrong side of ${req.ts}`);

  let stateBefore: string[];
  try {
    stateBefore = await fetchBackfillState(ctx, client, server, rv, event);
  } catch (e) {
    // Its MatrixErrors speak of the server's `/state_ids` answer (unusable, too big to fetch).
    if (!(e instanceof MatrixError)) throw e;
    return unusable(ctx, server, req, e.message);
  }
  const { results } = await ctx.roomserver.inputRoomEvents({
    inputs: [{ kind: 'backfill', event: event.json, roomVersion: rv.id, origin: server, stateEventIdsBefore: stateBefore }],
  });
  const result = results[0];
  if (!result?.accepted || result.softFailed) return unusable(ctx, server, req, `${eventId} failed our checks: ${result?.rejection?.reason ?? 'not accepted'}`);
  return { eventId, originServerTs: event.originServerTs, server };
}

/** `GET /event/{eventId}` from `server`, parsed and checked; undefined when wrong. */
async function fetchEvent(client: Client, server: string, rv: RoomVersion, roomId: string, eventId: string): Promise<RoomEvent | undefined> {
  const res = await client.request<unknown>({
    method: 'GET',
    destination: server,
    path: `/_matrix/federation/v1/event/${encodeURIComponent(eventId)}`,
  });
  const parsed = parseRemotePdu(isJsonObject(res) && Array.isArray(res.pdus) ? res.pdus[0] : undefined, rv, roomId);
  return parsed.ok && parsed.event.eventId === eventId ? parsed.event : undefined;
}

function onAskedSide(ts: number, req: PerformRemoteTimestampToEventRequest): boolean {
  return req.dir === 'f' ? ts >= req.ts : ts <= req.ts;
}

function unusable(ctx: FederationInternalContext, server: string, req: PerformRemoteTimestampToEventRequest, why: string): undefined {
  ctx.logger?.info({ server, roomId: req.roomId, why }, 'timestamp_to_event: unusable answer, trying the next server');
  return undefined;
}

/** A failure to blame on the server asked (transport, HTTP status, unparsable answer), not on us. */
function isRemoteFailure(e: unknown): e is FederationRequestError {
  return e instanceof FederationRequestError;
}
