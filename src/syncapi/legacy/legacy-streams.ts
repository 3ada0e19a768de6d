/**
 * The legacy paths carry what `/sync` carries outside its room timelines by running `/sync`'s own
 * providers (`sync-streams.ts`) for the `typing`, `receipt`, `account_data` and `presence`
 * streams into a throwaway {@link SyncResponse}, then flattening it into a list of events:
 * ephemeral and room account data events gain their `room_id`, presence events their
 * `content.user_id` (`legacy-event.ts`). The `pdu` stream is read by the legacy paths themselves
 * (their room events are not `/sync` timelines); the other streams (to-device, device lists …)
 * have no place in the legacy shapes, so their positions are never moved by them and a token
 * handed on to `/sync` still gets their data there.
 */
import { parseSyncFilter } from '../filter/index.js';
import type { SyncStorage, UserMembership } from '../storage/index.js';
import type { StreamProvider, SyncRequestContext } from '../sync/stream-provider.js';
import { emptySyncResponse, type ResponseEvent, type SyncResponse } from '../sync/sync-response.js';
import type { StreamName, StreamPositions } from '../sync/stream-token.js';
import { legacyPresenceEvent, withRoomId } from './legacy-event.js';

/** The streams besides `pdu` whose events the legacy paths carry. */
export const LEGACY_SIDE_STREAMS: readonly StreamName[] = ['typing', 'receipt', 'account_data', 'presence'];

/** Of these, the ones a room-scoped stream (`/events?room_id=`, a room's initial sync) carries: not the user's account data. */
export const ROOM_SIDE_STREAMS: readonly StreamName[] = ['typing', 'receipt', 'presence'];

// The legacy paths take no filter: every provider sees the default one.
const NO_FILTER = parseSyncFilter({});

/**
 * A provider context over `memberships` (providers cover the rooms joined among them: a
 * room-scoped read passes {@link viewing} of its room) with an empty response to fill.
 */
export function legacyContext(userId: string, deviceId: string | undefined, memberships: readonly UserMembership[], now: number): SyncRequestContext {
  return { userId, deviceId, filter: NO_FILTER, fullState: false, useStateAfter: false, now, memberships, response: emptySyncResponse() };
}

/** The membership that makes the providers cover `roomId` (the user being joined or only peeking). */
export function viewing(roomId: string): UserMembership {
  return { roomId, membership: 'join', eventId: '', addedAt: 0 };
}

/** The providers of `names`, in token order. */
export function providersNamed(streams: readonly StreamProvider[], names: readonly StreamName[]): StreamProvider[] {
  return streams.filter((s) => names.includes(s.stream));
}

/**
 * `base` with `pdu` and the streams of `providers` moved to their latest positions (never
 * backwards: a token ahead of this process keeps its positions). Each stream's end is fixed
 * before anything of it is read, as `/sync` does.
 */
export async function latestLegacyPositions(
  storage: Pick<SyncStorage, 'latestPosition'>,
  providers: readonly StreamProvider[],
  ctx: SyncRequestContext,
  base: StreamPositions,
): Promise<StreamPositions> {
  const [pdu, ...latest] = await Promise.all([storage.latestPosition(), ...providers.map((s) => s.latest(ctx))]);
  const out: Record<StreamName, number> = { ...base, pdu: Math.max(pdu!, base.pdu) };
  providers.forEach((s, i) => (out[s.stream] = Math.max(latest[i]!, base[s.stream])));
  return out;
}

/**
 * The events the providers wrote into `res`, flat: each room's ephemeral events then its account
 * data (with `room_id`), the global account data, then presence.
 */
export function flattenSideEvents(res: SyncResponse): ResponseEvent[] {
  const out: ResponseEvent[] = [];
  for (const [roomId, room] of Object.entries(res.rooms.join)) {
    for (const e of [...room.ephemeral.events, ...room.account_data.events]) out.push(withRoomId(e, roomId));
  }
  out.push(...res.account_data.events);
  for (const e of res.presence.events) out.push(legacyPresenceEvent(e));
  return out;
}
