/**
 * Builds the federation bench's big room on A "by a script": a public room created by a
 * registered user, then `members` joins of `@m<i>:<A>` sent straight to A's roomserver over its
 * internal API (the roomserver needs no accounts for them), many per request, in order. This
 * avoids 10,000 registrations and client round trips, which would take longer than the join
 * being measured.
 */
import { roomserverInternalApi } from '../../src/roomserver/inthttp.js';
import type { BenchUser } from './bench-client.js';
import type { FederationBenchServer } from './federation-pair.js';

/** Joins per `performSendEvents` call: one roomserver transaction-sized batch, a few hundred KiB. */
const JOINS_PER_CALL = 250;

/** The user ID of the `i`th scripted member on `server`. */
export function memberId(server: FederationBenchServer, i: number): string {
  return `@m${i}:${server.serverName}`;
}

/** Creates a public room as `creator` on `server`; returns its ID. */
export async function createPublicRoom(creator: BenchUser): Promise<string> {
  const res = await creator.call('POST', '/createRoom', { preset: 'public_chat', name: 'federation bench' });
  if (typeof res.room_id !== 'string') throw new Error(`createRoom returned no room_id: ${JSON.stringify(res)}`);
  return res.room_id;
}

/** Joins `@m0…@m<count-1>:<server>` to `roomId` through `server`'s roomserver; `progress` after each call. */
export async function addScriptedMembers(
  server: FederationBenchServer,
  roomId: string,
  count: number,
  progress: (done: number) => void,
): Promise<void> {
  const rs = roomserverInternalApi.client({ baseUrl: server.internalUrl, sharedSecret: server.internalSecret, timeoutMs: 300_000 });
  for (let start = 0; start < count; start += JOINS_PER_CALL) {
    const events = [];
    for (let i = start; i < Math.min(count, start + JOINS_PER_CALL); i++) {
      const userId = memberId(server, i);
      events.push({ roomId, type: 'm.room.member', stateKey: userId, sender: userId, content: { membership: 'join', displayname: `member ${i}` } });
    }
    const res = await rs.performSendEvents({ events });
    if (res.eventIds.length !== events.length) throw new Error(`performSendEvents answered ${res.eventIds.length} IDs for ${events.length} events`);
    progress(Math.min(count, start + JOINS_PER_CALL));
  }
}
