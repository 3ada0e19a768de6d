/**
 * The notification pipeline end to end on a real monolith: bob's pusher points at a local HTTP
 * server playing the push gateway; alice's messages notify bob (stored, counted, pushed), bob's
 * read receipt clears his counts, and a gateway rejecting the pushkey makes the pusher go.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { registrationMac } from '../../src/clientapi/auth/shared-secret-mac.js';
import type { Subscription } from '../../src/internal/bus/bus.js';
import type { UserAPI } from '../../src/userapi/api.js';
import { countsChangesOf, OutputNotificationData, type NotificationCountsChanged, type OutputNotificationDataMessage } from '../../src/userapi/producers/output-notification-data.js';
import { startTestMonolith, type TestMonolith } from '../harness/start-test-monolith.js';

const SECRET = 'push-test-shared-secret-0123456789';
const V3 = '/_matrix/client/v3';

interface User {
  readonly userId: string;
  readonly token: string;
}

interface GatewayCall {
  readonly path: string;
  readonly body: { notification: Record<string, unknown> & { devices: Record<string, unknown>[] } };
}

/** A push gateway: records each notify, answers with the pushkeys in `reject` as rejected. */
async function startGateway(): Promise<{ url: string; calls: GatewayCall[]; reject: string[]; close(): Promise<void> }> {
  const calls: GatewayCall[] = [];
  const reject: string[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      calls.push({ path: req.url ?? '', body: JSON.parse(text) as GatewayCall['body'] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ rejected: reject }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/_matrix/push/v1/notify`, calls, reject, close: () => new Promise((r) => server.close(() => r())) };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('push notifications end to end', () => {
  let hs: TestMonolith;
  let gw: Awaited<ReturnType<typeof startGateway>>;
  let sub: Subscription;
  const counts: NotificationCountsChanged[] = [];
  let alice: User;
  let bob: User;
  let roomId: string;

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(hs.baseUrl + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  const register = async (username: string): Promise<User> => {
    const { nonce } = await call('GET', '/_synapse/admin/v1/register');
    const password = `pw-${username}`;
    const mac = registrationMac(SECRET, { nonce: String(nonce), username, password, admin: false });
    const body = await call('POST', '/_synapse/admin/v1/register', undefined, { nonce, username, password, admin: false, mac });
    return { userId: String(body.user_id), token: String(body.access_token) };
  };
  let txn = 0;
  const send = async (content: Record<string, unknown>) =>
    String((await call('PUT', `${V3}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t${++txn}`, alice.token, content)).event_id);
  const notifications = (onlyHighlight = false) =>
    hs.server.api<UserAPI>('userapi').queryNotifications({ userId: bob.userId, from: null, limit: 10, onlyHighlight });

  before(async () => {
    gw = await startGateway();
    hs = await startTestMonolith({
      registration: { enabled: true, shared_secret: SECRET },
      federation: { allow_networks: ['127.0.0.0/8'] },
    });
    sub = await hs.bus.subscribe<OutputNotificationDataMessage>({
      topic: OutputNotificationData,
      consumer: 'push-e2e-test',
      handler: async (m) => void counts.push(...countsChangesOf(m.payload)),
    });
    alice = await register('alice');
    bob = await register('bob');
    roomId = String((await call('POST', `${V3}/createRoom`, alice.token, { preset: 'private_chat', invite: [bob.userId] })).room_id);
    await call('POST', `${V3}/join/${encodeURIComponent(roomId)}`, bob.token, {});
    await call('POST', `${V3}/pushers/set`, bob.token, {
      kind: 'http',
      app_id: 'org.example.push',
      pushkey: 'bob-key',
      app_display_name: 'Example',
      device_display_name: 'Phone',
      lang: 'en',
      data: { url: gw.url, custom: 'kept' },
    });
  });
  after(async () => {
    await sub?.stop();
    await hs?.stop();
    await gw?.close();
  });

  let hello: string;
  let mention: string;

  it('pushes a message in a one-to-one room to the pusher with the unread count and high priority', async () => {
    hello = await send({ msgtype: 'm.text', body: 'hello' });
    const call1 = await until('the first push', () => gw.calls.find((c) => c.body.notification.event_id === hello));
    assert.equal(call1.path, '/_matrix/push/v1/notify');
    const n = call1.body.notification;
    assert.equal(n.room_id, roomId);
    assert.equal(n.type, 'm.room.message');
    assert.equal(n.sender, alice.userId);
    assert.equal(n.prio, 'high');
    // The invite that brought bob in notified him too (`.m.rule.invite_for_me`), and is unread.
    assert.deepEqual(n.counts, { unread: 2 });
    assert.deepEqual(n.content, { msgtype: 'm.text', body: 'hello' });
    assert.equal(n.devices.length, 1);
    const d = n.devices[0];
    assert.equal(d?.app_id, 'org.example.push');
    assert.equal(d?.pushkey, 'bob-key');
    assert.equal(typeof d?.pushkey_ts, 'number');
    assert.deepEqual(d?.data, { custom: 'kept' });
    assert.deepEqual(d?.tweaks, { sound: 'default' });
    // bob had no pusher when invited.
    assert.equal(gw.calls.length, 1);
  });

  it('highlights a message mentioning bob', async () => {
    mention = await send({ msgtype: 'm.text', body: 'hey bob', 'm.mentions': { user_ids: [bob.userId] } });
    const c = await until('the mention push', () => gw.calls.find((x) => x.body.notification.event_id === mention));
    assert.deepEqual(c.body.notification.counts, { unread: 3 });
    assert.deepEqual(c.body.notification.devices[0]?.tweaks, { sound: 'default', highlight: true });
  });

  it('lists the notifications newest first through the userapi', async () => {
    const res = await notifications();
    assert.equal(res.nextToken, null);
    assert.deepEqual(
      res.notifications.map((n) => [n.event.event_id, n.read, n.roomId]),
      [
        [mention, false, roomId],
        [hello, false, roomId],
        [res.notifications[2]?.event.event_id, false, roomId],
      ],
    );
    assert.equal(res.notifications[2]?.event.type, 'm.room.member');
    assert.deepEqual(res.notifications[0]?.actions, ['notify', { set_tweak: 'sound', value: 'default' }, { set_tweak: 'highlight' }]);
    assert.equal(res.notifications[0]?.event.sender, alice.userId);
    const highlights = await notifications(true);
    assert.deepEqual(highlights.notifications.map((n) => n.event.event_id), [mention]);
    const counted = await until('counts of 3', () => counts.find((m) => m.userId === bob.userId && m.notificationCount === 3));
    assert.equal(counted.highlightCount, 1);
  });

  it("marks them read on bob's read receipt and publishes zero counts", async () => {
    await call('POST', `${V3}/rooms/${encodeURIComponent(roomId)}/receipt/m.read/${encodeURIComponent(mention)}`, bob.token, {});
    const zero = await until('zero counts', () => counts.find((m) => m.userId === bob.userId && m.roomId === roomId && m.notificationCount === 0));
    assert.equal(zero.highlightCount, 0);
    const res = await notifications();
    assert.deepEqual(res.notifications.map((n) => n.read), [true, true, true]);
  });

  it('deletes the pusher whose pushkey the gateway rejects', async () => {
    gw.reject.push('bob-key');
    const rejectedEvent = await send({ msgtype: 'm.text', body: 'are you there' });
    await until('the rejected push', () => gw.calls.find((c) => c.body.notification.event_id === rejectedEvent));
    await until('the pusher to go', async () => {
      const { pushers } = await call('GET', `${V3}/pushers`, bob.token);
      return Array.isArray(pushers) && pushers.length === 0 ? true : undefined;
    });
  });
});
