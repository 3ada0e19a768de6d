/**
 * Send-to-device over real HTTP against an in-process monolith: `PUT /sendToDevice` to one of
 * Bob's devices and to `*`, each delivered exactly once per device through `/sync`; the next sync
 * with the returned token acknowledges them (deleted from storage, read directly), a sync
 * repeating the old token gets them again, more than 100 waiting messages take several syncs,
 * a long-poll is woken by a message, and a message for an unknown device is dropped.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registrationMac } from '../../src/clientapi/auth/shared-secret-mac.js';
import type { Database } from '../../src/internal/sqlutil/database.js';
import { openDatabase } from '../../src/internal/sqlutil/open-database.js';
import { createSyncStorage, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { parseStreamToken } from '../../src/syncapi/sync/stream-token.js';
import { startTestMonolith, type TestMonolith } from '../harness/start-test-monolith.js';

const V3 = '/_matrix/client/v3';
const SECRET = 'to-device-secret-0123456789';

interface User {
  readonly userId: string;
  readonly token: string;
  readonly deviceId: string;
}
interface ToDeviceEvent {
  sender: string;
  type: string;
  content: Record<string, unknown>;
}
interface SyncBody {
  next_batch: string;
  to_device: { events: ToDeviceEvent[] };
}

describe('syncapi: send-to-device through /sync', () => {
  let m: TestMonolith;
  let db: Database;
  let storage: SyncStorage;
  let alice: User;
  let bob1: User;
  let bob2: User;

  const call = async (method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(m.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const register = async (localpart: string): Promise<User> => {
    const nonce = String(((await (await fetch(`${m.baseUrl}/_synapse/admin/v1/register`)).json()) as { nonce: string }).nonce);
    const password = `pw-${localpart}`;
    const mac = registrationMac(SECRET, { nonce, username: localpart, password, admin: false });
    const res = await fetch(`${m.baseUrl}/_synapse/admin/v1/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nonce, username: localpart, password, admin: false, mac }),
    });
    const b = (await res.json()) as Record<string, string>;
    assert.equal(res.status, 200, JSON.stringify(b));
    return { userId: b.user_id!, token: b.access_token!, deviceId: b.device_id! };
  };
  const login = async (u: User, localpart: string): Promise<User> => {
    const res = await fetch(`${m.baseUrl}${V3}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: localpart }, password: `pw-${localpart}` }),
    });
    const b = (await res.json()) as Record<string, string>;
    assert.equal(res.status, 200, JSON.stringify(b));
    return { userId: u.userId, token: b.access_token!, deviceId: b.device_id! };
  };
  let txn = 0;
  const sendToDevice = async (from: User, type: string, messages: Record<string, Record<string, unknown>>): Promise<void> => {
    const res = await call('PUT', `${V3}/sendToDevice/${encodeURIComponent(type)}/t${++txn}`, from.token, { messages });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const sync = async (u: User, since?: string, timeout = 0): Promise<SyncBody> => {
    const qs = new URLSearchParams({ set_presence: 'offline', timeout: String(timeout), ...(since === undefined ? {} : { since }) });
    const res = await call('GET', `${V3}/sync?${qs}`, u.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as unknown as SyncBody;
  };
  /** Syncs from `since` until the response carries at least `count` to-device events (the consumer is asynchronous). */
  const syncUntil = async (u: User, since: string | undefined, count: number): Promise<SyncBody> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = await sync(u, since);
      if (body.to_device.events.length >= count) return body;
      if (Date.now() > deadline) assert.fail(`never got ${count} to-device events; last: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const pending = (u: User) => storage.toDeviceMessages(u.userId, u.deviceId, 0, Number.MAX_SAFE_INTEGER, 1000);

  before(async () => {
    m = await startTestMonolith({ registration: { enabled: true, shared_secret: SECRET } });
    db = await openDatabase(`sqlite:${join(m.dir, 'axon.db')}`);
    storage = createSyncStorage(db);
    alice = await register('alice');
    bob1 = await register('bob');
    bob2 = await login(bob1, 'bob');
  });
  after(async () => {
    await db?.close();
    await m?.stop();
  });

  it("delivers a message to one of Bob's devices and a `*` message to both, each once, and deletes them once acknowledged", async () => {
    const start1 = (await sync(bob1)).next_batch;
    const start2 = (await sync(bob2)).next_batch;
    await sendToDevice(alice, 'm.test.one', { [bob1.userId]: { [bob1.deviceId]: { n: 1 } } });
    await sendToDevice(alice, 'm.test.all', { [bob1.userId]: { '*': { n: 2 } } });

    const r1 = await syncUntil(bob1, start1, 2);
    assert.deepEqual(r1.to_device.events, [
      { sender: alice.userId, type: 'm.test.one', content: { n: 1 } },
      { sender: alice.userId, type: 'm.test.all', content: { n: 2 } },
    ]);
    const r2 = await syncUntil(bob2, start2, 1);
    assert.deepEqual(r2.to_device.events, [{ sender: alice.userId, type: 'm.test.all', content: { n: 2 } }]);
    // Still stored: nothing was acknowledged yet.
    assert.equal((await pending(bob1)).length, 2);

    // The old token again (the response was lost): the same messages.
    assert.deepEqual((await sync(bob1, start1)).to_device.events, r1.to_device.events);

    // The returned token acknowledges them: not served again, and gone from storage.
    const next = await sync(bob1, r1.next_batch);
    assert.deepEqual(next.to_device.events, []);
    assert.deepEqual(await pending(bob1), []);
    assert.equal(parseStreamToken(next.next_batch).to_device, parseStreamToken(r1.next_batch).to_device);
    // Bob's other device has not acknowledged its copy yet.
    assert.equal((await pending(bob2)).length, 1);
    assert.deepEqual((await sync(bob2, r2.next_batch)).to_device.events, []);
    assert.deepEqual(await pending(bob2), []);
  });

  it('hands out more than 100 waiting messages over several syncs, in order, each once', async () => {
    const start = (await sync(bob2)).next_batch;
    // One request carries one message per device: 130 requests.
    for (let i = 0; i < 130; i++) await sendToDevice(alice, 'm.test.many', { [bob2.userId]: { [bob2.deviceId]: { i } } });
    const deadline = Date.now() + 15_000;
    while ((await pending(bob2)).length < 130) {
      if (Date.now() > deadline) assert.fail('the 130 messages were never all stored');
      await new Promise((r) => setTimeout(r, 25));
    }
    const first = await sync(bob2, start);
    assert.equal(first.to_device.events.length, 100);
    assert.deepEqual(first.to_device.events.map((e) => e.content.i), Array.from({ length: 100 }, (_, i) => i));
    const second = await sync(bob2, first.next_batch);
    assert.deepEqual(second.to_device.events.map((e) => e.content.i), Array.from({ length: 30 }, (_, i) => 100 + i));
    assert.equal((await pending(bob2)).length, 30);
    const third = await sync(bob2, second.next_batch);
    assert.deepEqual(third.to_device.events, []);
    assert.deepEqual(await pending(bob2), []);
  });

  it('wakes a long-polling sync when a message arrives', async () => {
    const since = (await sync(bob1)).next_batch;
    const started = Date.now();
    const polling = sync(bob1, since, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    await sendToDevice(alice, 'm.test.wake', { [bob1.userId]: { [bob1.deviceId]: { woke: true } } });
    const res = await polling;
    assert.deepEqual(res.to_device.events, [{ sender: alice.userId, type: 'm.test.wake', content: { woke: true } }]);
    assert.ok(Date.now() - started < 9_000, 'the long-poll was not woken');
    await sync(bob1, res.next_batch);
  });

  it('drops messages for unknown devices and users, storing nothing for them', async () => {
    const since = (await sync(bob1)).next_batch;
    await sendToDevice(alice, 'm.test.lost', { [bob1.userId]: { NOSUCHDEVICE: { x: 1 } }, '@nobody:hs.test': { '*': { x: 2 } } });
    // A message sent after them arrives, so the consumer has passed the dropped ones.
    await sendToDevice(alice, 'm.test.marker', { [bob1.userId]: { [bob1.deviceId]: { x: 3 } } });
    const res = await syncUntil(bob1, since, 1);
    assert.deepEqual(res.to_device.events, [{ sender: alice.userId, type: 'm.test.marker', content: { x: 3 } }]);
    assert.deepEqual(await storage.toDeviceMessages(bob1.userId, 'NOSUCHDEVICE', 0, Number.MAX_SAFE_INTEGER, 10), []);
    assert.deepEqual(await storage.toDeviceMessages('@nobody:hs.test', '*', 0, Number.MAX_SAFE_INTEGER, 10), []);
    await sync(bob1, res.next_batch);
  });

  it("empties a device's inbox when the device logs out", async () => {
    const bob3 = await login(bob1, 'bob');
    await sendToDevice(alice, 'm.test.orphan', { [bob3.userId]: { [bob3.deviceId]: { left: 'behind' } } });
    const deadline = Date.now() + 10_000;
    while ((await pending(bob3)).length === 0) {
      if (Date.now() > deadline) assert.fail('the message never reached the inbox');
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal((await call('POST', `${V3}/logout`, bob3.token, {})).status, 200);
    const gone = Date.now() + 10_000;
    while ((await pending(bob3)).length > 0) {
      if (Date.now() > gone) assert.fail('the logged-out device still has messages waiting');
      await new Promise((r) => setTimeout(r, 25));
    }
  });
});
