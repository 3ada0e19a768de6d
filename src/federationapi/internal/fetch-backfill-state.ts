/**
 * The state before a backfilled event whose prev events we lack, from the server that served it:
 * `GET /state_ids/{roomId}?event_id=` (the state before the event and its auth chain, as IDs),
 * the events we do not hold from `GET /event/{id}` (a few at a time; each must parse in the
 * room and carry the ID asked for, which for v3+ is its hash), stored as outliers with auth
 * events first so each is checked against its own. The answer is the state's entries the
 * roomserver holds and did not reject: a state event that failed its checks stays out of the
 * state, whatever the origin thinks of it.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject, type JsonValue } from '../../matrix/json.js';
import { stateMapKey, type RoomEvent } from '../../matrix/room-event.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import type { FederationClient } from '../client/federation-client.js';
import { parseRemotePdu } from '../inbound/parse-remote-pdu.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { orderByAuth } from './order-by-auth.js';

/** Requests in flight at once to the origin. */
const CONCURRENCY = 8;
/** The most events fetched for one state (a bigger gap is left unfilled). */
const MAX_FETCHED = 1000;

type Client = Pick<FederationClient, 'request'>;

/**
 * The IDs of the state before `event`, every one stored here.
 * @throws MatrixError when the origin's answer is unusable or too big to fetch.
 * @throws FederationRequestError when the origin fails.
 */
export async function fetchBackfillState(ctx: FederationInternalContext, client: Client, origin: string, rv: RoomVersion, event: RoomEvent): Promise<string[]> {
  const res = await client.request<unknown>({
    method: 'GET',
    destination: origin,
    path: `/_matrix/federation/v1/state_ids/${encodeURIComponent(event.roomId)}`,
    query: { event_id: event.eventId },
  });
  const stateIds = isJsonObject(res) ? stringArray(res.pdu_ids) : undefined;
  const chainIds = isJsonObject(res) ? stringArray(res.auth_chain_ids) : undefined;
  if (!stateIds || !chainIds) throw MatrixError.unknown(`${origin} gave no usable state before ${event.eventId}`, 502);

  const wanted = [...new Set([...chainIds, ...stateIds])];
  const { events: known } = await ctx.roomserver.queryEvents({ eventIds: wanted });
  const knownIds = new Set(known.map((e) => e.eventId));
  const missing = wanted.filter((id) => !knownIds.has(id));
  if (missing.length > MAX_FETCHED) throw MatrixError.unknown(`${missing.length} state events to fetch from ${origin}, more than ${MAX_FETCHED}`, 502);
  const fetched = await fetchEvents(ctx, client, origin, rv, event.roomId, missing);
  if (fetched.length > 0) {
    const ordered = orderByAuth(fetched.map((e) => ({ eventId: e.eventId, json: e.json })));
    await ctx.roomserver.inputRoomEvents({ inputs: ordered.map((e) => ({ kind: 'outlier', event: e.json, roomVersion: rv.id, origin })) });
  }
  const { events: stored } = await ctx.roomserver.queryEvents({ eventIds: stateIds });
  const state = new Map<string, string>();
  for (const s of stored) {
    const { type, state_key: stateKey } = s.event;
    if (!s.rejected && typeof type === 'string' && typeof stateKey === 'string') state.set(stateMapKey(type, stateKey), s.eventId);
  }
  return [...state.values()];
}

/** The events the origin served correctly, in no particular order; the others are left out (logged). */
async function fetchEvents(ctx: FederationInternalContext, client: Client, origin: string, rv: RoomVersion, roomId: string, eventIds: readonly string[]): Promise<RoomEvent[]> {
  const out: RoomEvent[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < eventIds.length) {
      const eventId = eventIds[next++]!;
      try {
        const res = await client.request<unknown>({ method: 'GET', destination: origin, path: `/_matrix/federation/v1/event/${encodeURIComponent(eventId)}` });
        const parsed = parseRemotePdu(isJsonObject(res) && Array.isArray(res.pdus) ? res.pdus[0] : undefined, rv, roomId);
        if (parsed.ok && parsed.event.eventId === eventId) out.push(parsed.event);
        else ctx.logger?.info({ origin, eventId }, 'backfill: the origin served a bad state event');
      } catch (e) {
        ctx.logger?.info({ origin, eventId, err: e instanceof Error ? e.message : String(e) }, 'backfill: could not fetch a state event');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, eventIds.length) }, worker));
  return out;
}

function stringArray(v: JsonValue | undefined): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}
