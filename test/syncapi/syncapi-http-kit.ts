/**
 * Helpers shared by the syncapi suites that call a real monolith over HTTP: the client API's
 * prefixes, the shape of a served event, a server with registered users, and the waits that let
 * a test see what the syncapi consumed asynchronously before asserting on it.
 */
import assert from 'node:assert/strict';
import { startClientTestServer, userCalls, type ClientTestServer, type TestUser, type UserCalls } from '../clientapi/client-test-server.js';

export const V1 = '/_matrix/client/v1';
export const V3 = '/_matrix/client/v3';
export const enc = encodeURIComponent;

export type Obj = Record<string, unknown>;

/** An event as the client API serves it (the fields the suites read). */
export interface ServedEvent {
  event_id: string;
  type: string;
  sender: string;
  room_id: string;
  state_key?: string;
  content: Obj;
  unsigned?: Obj;
}

/** The body of `GET /rooms/{roomId}/context/{eventId}`. */
export interface ContextBody {
  start: string;
  end: string;
  event: ServedEvent;
  events_before: ServedEvent[];
  events_after: ServedEvent[];
  state: ServedEvent[];
}

/** A started server and its users, registered in the order asked. */
export interface ServerWithUsers<N extends readonly string[]> {
  readonly server: ClientTestServer;
  readonly users: { -readonly [K in keyof N]: TestUser };
}

/** Starts a server (`overrides` as `startClientTestServer` takes them) and registers `localparts`. */
export async function startWithUsers<const N extends readonly string[]>(localparts: N, overrides: Record<string, unknown> = {}): Promise<ServerWithUsers<N>> {
  const server = await startClientTestServer(overrides);
  const users: TestUser[] = [];
  for (const localpart of localparts) users.push(await server.register(localpart));
  return { server, users: users as ServerWithUsers<N>['users'] };
}

/** Asks again until `done` holds (the syncapi has consumed what the test sent); the last answer. */
export async function until<T>(ask: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await ask();
    if (done(v)) return v;
    if (Date.now() > deadline) assert.fail(`never satisfied; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `userCalls` and the message sends and waits of the syncapi suites. */
export interface SyncCalls extends UserCalls {
  /** Sends an `m.text` message with `body` (and `extra` content, as is), with transaction IDs `t1`, `t2`, …; its event ID. */
  sendText(u: TestUser, roomId: string, body: string, extra?: Obj): Promise<string>;
  /** Waits until `eventId` is the newest event of the room in `u`'s `/messages`. */
  waitFor(u: TestUser, roomId: string, eventId: string): Promise<void>;
}

/** Calls as a user against the server `server()` returns (set in `before`). */
export function syncCalls(server: () => ClientTestServer): SyncCalls {
  const calls = userCalls(server);
  let txn = 0;
  const sendText = async (u: TestUser, roomId: string, body: string, extra: Obj = {}): Promise<string> =>
    String(calls.ok(await calls.put(u, `/rooms/${enc(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body, ...extra })).event_id);
  const waitFor = async (u: TestUser, roomId: string, eventId: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await server().call('GET', `${V3}/rooms/${enc(roomId)}/messages?dir=b&limit=1`, { token: u.accessToken });
      if (res.status === 200 && (res.body.chunk as ServedEvent[])[0]?.event_id === eventId) return;
      if (Date.now() > deadline) assert.fail(`${eventId} never reached /messages; last: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { ...calls, sendText, waitFor };
}
