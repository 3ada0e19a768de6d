/**
 * `PUT /sendToDevice/{eventType}/{txnId}` against a real monolith, observed on the bus: one
 * `OutputSendToDeviceEvent` message per recipient device (local and remote, `*` kept for the
 * consumer to expand), stable message IDs; the same transaction again publishes nothing and is
 * delivered once, while the same transaction ID from another device is a new request; the
 * limits (64 KiB per message: 413 `M_TOO_LARGE`; malformed user IDs: 400) publish nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OutputSendToDeviceEvent, type OutputSendToDeviceMessage } from '../../src/clientapi/producers/output-send-to-device.js';
import type { Subscription } from '../../src/internal/bus/bus.js';
import { startClientTestServer, type ClientTestServer, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';

describe('clientapi: PUT /sendToDevice', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let alice2: TestUser;
  let bob: TestUser;
  let sub: Subscription;
  const seen: OutputSendToDeviceMessage[] = [];

  before(async () => {
    s = await startClientTestServer();
    alice = await s.register('alice');
    alice2 = await s.login('alice', alice.password);
    bob = await s.register('bob');
    sub = await s.bus.subscribe<OutputSendToDeviceMessage>({ topic: OutputSendToDeviceEvent, consumer: 'test-send-to-device', handler: async (m) => void seen.push(m.payload) });
  });
  after(async () => {
    await sub?.stop();
    await s?.stop();
  });

  const put = (u: TestUser, type: string, txnId: string, body: unknown) => s.call('PUT', `${V3}/sendToDevice/${encodeURIComponent(type)}/${encodeURIComponent(txnId)}`, { token: u.accessToken, body });
  /** The messages seen of `type`, once `count` of them arrived (and a moment more for strays). */
  const seenOf = async (type: string, count: number): Promise<OutputSendToDeviceMessage[]> => {
    const deadline = Date.now() + 5000;
    while (seen.filter((m) => m.eventType === type).length < count) {
      if (Date.now() > deadline) assert.fail(`only ${seen.filter((m) => m.eventType === type).length} of ${count} ${type} messages`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 150));
    return seen.filter((m) => m.eventType === type);
  };
  const syncToDevice = async (u: TestUser, since?: string) => {
    const qs = new URLSearchParams({ set_presence: 'offline', ...(since === undefined ? {} : { since }) });
    const res = await s.call('GET', `${V3}/sync?${qs}`, { token: u.accessToken });
    assert.equal(res.status, 200);
    return res.body as { next_batch: string; to_device: { events: Array<{ type: string; content: Record<string, unknown> }> } };
  };

  it('publishes one message per recipient device, local and remote, keeping `*`', async () => {
    const res = await put(alice, 'm.test.shape', 'shape-1', {
      messages: { [bob.userId]: { [bob.deviceId]: { a: 1 }, '*': { a: 2 } }, '@carol:remote.test': { CDEV: { a: 3 } } },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {});
    const got = await seenOf('m.test.shape', 3);
    assert.equal(got.length, 3);
    // Order is kept per recipient user only (the topic's key): compare in the order sent.
    got.sort((x, y) => Number(x.content.a) - Number(y.content.a));
    const plain = got.map(({ messageId, ...rest }) => {
      assert.equal(messageId.length, 22);
      return rest;
    });
    assert.deepEqual(plain, [
      { type: 'send_to_device', sender: alice.userId, recipientUserId: bob.userId, recipientDeviceId: bob.deviceId, eventType: 'm.test.shape', content: { a: 1 } },
      { type: 'send_to_device', sender: alice.userId, recipientUserId: bob.userId, recipientDeviceId: '*', eventType: 'm.test.shape', content: { a: 2 } },
      { type: 'send_to_device', sender: alice.userId, recipientUserId: '@carol:remote.test', recipientDeviceId: 'CDEV', eventType: 'm.test.shape', content: { a: 3 } },
    ]);
    assert.equal(new Set(got.map((m) => m.messageId)).size, 3);
  });

  it('is idempotent per device and transaction ID, and delivers a retried transaction once', async () => {
    const since = (await syncToDevice(bob)).next_batch;
    const body = { messages: { [bob.userId]: { [bob.deviceId]: { retry: true } } } };
    assert.equal((await put(alice, 'm.test.txn', 'same', body)).status, 200);
    assert.equal((await put(alice, 'm.test.txn', 'same', body)).status, 200);
    // The same transaction ID from Alice's other device is another request.
    assert.equal((await put(alice2, 'm.test.txn', 'same', body)).status, 200);
    const got = await seenOf('m.test.txn', 2);
    assert.equal(got.length, 2);
    assert.notEqual(got[0]!.messageId, got[1]!.messageId);

    const deadline = Date.now() + 5000;
    let events: Array<{ type: string; content: Record<string, unknown> }> = [];
    while (events.length < 2 && Date.now() < deadline) {
      events = (await syncToDevice(bob, since)).to_device.events;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.deepEqual(events, [
      { sender: alice.userId, type: 'm.test.txn', content: { retry: true } },
      { sender: alice.userId, type: 'm.test.txn', content: { retry: true } },
    ]);
  });

  it('refuses a message over 64 KiB with 413 M_TOO_LARGE and a malformed user ID with 400, publishing nothing', async () => {
    const big = { blob: 'x'.repeat(65_536) };
    const tooLarge = await put(alice, 'm.test.limits', 'big', { messages: { [bob.userId]: { [bob.deviceId]: { ok: 1 }, OTHER: big } } });
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.body.errcode, 'M_TOO_LARGE');
    const bad = await put(alice, 'm.test.limits', 'bad', { messages: { 'not-a-user': { D: {} } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errcode, 'M_INVALID_PARAM');
    const shape = await put(alice, 'm.test.limits', 'shape', { messages: { [bob.userId]: { D: 'not an object' } } });
    assert.equal(shape.status, 400);
    // A message just under the limit passes (its JSON is 65,536 bytes).
    const fits = { blob: 'x'.repeat(65_536 - '{"blob":""}'.length) };
    assert.equal((await put(alice, 'm.test.limits', 'fits', { messages: { [bob.userId]: { [bob.deviceId]: fits } } })).status, 200);
    const got = await seenOf('m.test.limits', 1);
    assert.deepEqual(got.map((m) => m.content), [fits]);
  });

  it('requires authentication', async () => {
    const res = await s.call('PUT', `${V3}/sendToDevice/m.test/x`, { body: { messages: {} } });
    assert.equal(res.status, 401);
  });
});
