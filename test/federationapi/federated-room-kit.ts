/**
 * Client-side steps the federation suites share: polling until a server shows something, the
 * recent events of a room, sending a message, a user's membership.
 */
import { okBody, type ClientTestServer, type TestUser } from '../clientapi/client-test-server.js';

/** A server as these steps use it. */
export interface RoomServer {
  readonly serverName: string;
  readonly client: ClientTestServer;
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface RoomEventJson {
  readonly event_id: string;
  readonly type: string;
  readonly sender: string;
  readonly state_key?: string;
  readonly content: Record<string, unknown>;
}

/** The newest `limit` events of the room as `user` sees them on `server`. */
export async function recentEvents(server: RoomServer, user: TestUser, roomId: string, limit = 50): Promise<RoomEventJson[]> {
  const res = await server.client.call('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=${limit}`, { token: user.accessToken });
  if (res.status !== 200) return [];
  return (res.body.chunk as RoomEventJson[]).slice().reverse();
}

/** The event with this body, once `user` on `server` sees it. */
export function seesMessage(server: RoomServer, user: TestUser, roomId: string, body: string): Promise<RoomEventJson> {
  return eventually(`"${body}" on ${server.serverName}`, async () => (await recentEvents(server, user, roomId)).find((e) => e.content.body === body));
}

export async function send(server: RoomServer, user: TestUser, roomId: string, body: string): Promise<string> {
  const txn = `t${Math.random().toString(36).slice(2)}`;
  const res = await server.client.call('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`, {
    token: user.accessToken,
    body: { msgtype: 'm.text', body },
  });
  return okBody(res).event_id as string;
}

export async function membership(server: RoomServer, user: TestUser, roomId: string, target: string): Promise<string | undefined> {
  const res = await server.client.call('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.member/${encodeURIComponent(target)}`, { token: user.accessToken });
  return res.status === 200 ? (res.body.membership as string) : undefined;
}

