/**
 * Fetching single events from the origin (`GET /_matrix/federation/v1/event/{eventId}`), a few
 * at a time. What comes back is untrusted: it must parse in the room's version, be in the room
 * and have the ID asked for (for v3+ the ID is the hash of the event, so a server cannot hand us
 * another event under it). Signatures and auth are checked when the events are input.
 */
import { isJsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { InboundPduError, type InboundRoomContext } from './inbound-room-context.js';
import { parseRemotePdu } from './parse-remote-pdu.js';

/** Requests in flight at once to the origin. */
const CONCURRENCY = 8;

/**
 * The events of `eventIds` the origin served correctly, in the order asked; the others are left
 * out (logged). Takes them all from the transaction's budget first.
 * @throws InboundPduError `fetch/budget` when the budget does not cover them.
 */
export async function fetchRemoteEvents(ctx: InboundRoomContext, eventIds: readonly string[]): Promise<RoomEvent[]> {
  if (eventIds.length === 0) return [];
  if (!ctx.budget.take(eventIds.length)) {
    throw new InboundPduError('fetch/budget', `${eventIds.length} events to fetch, more than this transaction may cost (${ctx.budget.remaining} left)`);
  }
  const out: Array<RoomEvent | undefined> = new Array<RoomEvent | undefined>(eventIds.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < eventIds.length) {
      const i = next++;
      out[i] = await fetchOne(ctx, eventIds[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, eventIds.length) }, worker));
  return out.filter((e): e is RoomEvent => e !== undefined);
}

async function fetchOne(ctx: InboundRoomContext, eventId: string): Promise<RoomEvent | undefined> {
  const { deps, origin } = ctx;
  try {
    const res = await deps.federationClient.request<unknown>({ method: 'GET', destination: origin, path: `/_matrix/federation/v1/event/${encodeURIComponent(eventId)}` });
    const pdu = isJsonObject(res) && Array.isArray(res.pdus) ? res.pdus[0] : undefined;
    const parsed = parseRemotePdu(pdu, ctx.rv, ctx.roomId);
    if (parsed.ok && parsed.event.eventId === eventId) return parsed.event;
    deps.logger?.info({ origin, eventId, reason: parsed.ok ? 'another event' : parsed.reason }, 'federation /send: the origin served a bad event');
  } catch (e) {
    deps.logger?.info({ origin, eventId, err: (e as Error).message }, 'federation /send: could not fetch an event');
  }
  return undefined;
}
