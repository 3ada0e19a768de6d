/**
 * Send-to-device across two real Axon servers (`startFederatedPair`): a message from A's user to
 * one of B's user's devices and to `*` travels as `m.direct_to_device` EDUs through A's outbound
 * queue and B's inbound `/send`, and reaches B's user's `/sync` once. Inbound checks, with
 * transactions signed as A by a test client: an EDU whose sender is not A's is ignored, a
 * recipient not on B is dropped, and the same `message_id` sent again in a new transaction is
 * delivered once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FederationClient } from '../../src/federationapi/client/federation-client.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair, type FederatedServer } from '../harness/start-federated-pair.js';
import { federationTestClient } from './federation-test-client.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the to-device federation tests: ${skip}`);

const V3 = '/_matrix/client/v3';

interface ToDeviceEvent {
  sender: string;
  type: string;
  content: Record<string, unknown>;
}

describe('send-to-device between two Axon servers', { skip }, () => {
  let pair: FederatedPair;
  let alice: TestUser;
  let bob1: TestUser;
  let bob2: TestUser;
  let client: FederationClient;

  before(async () => {
    pair = await startFederatedPair();
    alice = await pair.a.client.register('alice');
    bob1 = await pair.b.client.register('bob');
    bob2 = await pair.b.client.login('bob', bob1.password);
    client = federationTestClient(pair, pair.a);
  });
  after(async () => {
    await client?.close();
    await pair?.stop();
  });

  const sync = async (server: FederatedServer, u: TestUser, since?: string): Promise<{ next_batch: string; to_device: { events: ToDeviceEvent[] } }> => {
    const qs = new URLSearchParams({ set_presence: 'offline', ...(since === undefined ? {} : { since }) });
    const res = await server.client.call('GET', `${V3}/sync?${qs}`, { token: u.accessToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { next_batch: string; to_device: { events: ToDeviceEvent[] } };
  };
  /** Syncs from `since` until at least `count` to-device events arrive; then once more after a pause, to catch duplicates. */
  const syncUntil = async (u: TestUser, since: string, count: number) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const body = await sync(pair.b, u, since);
      if (body.to_device.events.length >= count) {
        await new Promise((r) => setTimeout(r, 300));
        return sync(pair.b, u, since);
      }
      if (Date.now() > deadline) assert.fail(`never got ${count} to-device events; last: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let txn = 0;
  /** Sends one transaction of EDUs to B, signed as A. */
  const sendEdus = (edus: JsonObject[]) =>
    client.request({
      destination: pair.b.serverName,
      method: 'PUT',
      path: `/_matrix/federation/v1/send/test-${Date.now()}-${++txn}`,
      body: { origin: pair.a.serverName, origin_server_ts: Date.now(), pdus: [], edus },
    });

  it("delivers A's user's messages to B's user's devices through /sync, once each", async () => {
    const since1 = (await sync(pair.b, bob1)).next_batch;
    const since2 = (await sync(pair.b, bob2)).next_batch;
    const put = (txnId: string, messages: unknown) => pair.a.client.call('PUT', `${V3}/sendToDevice/m.test.fed/${txnId}`, { token: alice.accessToken, body: { messages } });
    assert.equal((await put('one', { [bob1.userId]: { [bob1.deviceId]: { n: 1 } } })).status, 200);
    assert.equal((await put('all', { [bob1.userId]: { '*': { n: 2 } } })).status, 200);
    // A retried transaction goes out once.
    assert.equal((await put('all', { [bob1.userId]: { '*': { n: 2 } } })).status, 200);

    const r1 = await syncUntil(bob1, since1, 2);
    assert.deepEqual(r1.to_device.events, [
      { sender: alice.userId, type: 'm.test.fed', content: { n: 1 } },
      { sender: alice.userId, type: 'm.test.fed', content: { n: 2 } },
    ]);
    const r2 = await syncUntil(bob2, since2, 1);
    assert.deepEqual(r2.to_device.events, [{ sender: alice.userId, type: 'm.test.fed', content: { n: 2 } }]);
    assert.deepEqual((await sync(pair.b, bob1, r1.next_batch)).to_device.events, []);
    assert.deepEqual((await sync(pair.b, bob2, r2.next_batch)).to_device.events, []);
  });

  it('ignores a sender of another server, drops recipients not on B, and handles a message_id once', async () => {
    const since = (await sync(pair.b, bob1)).next_batch;
    const edu = (sender: string, messageId: string, messages: JsonObject): JsonObject => ({ edu_type: 'm.direct_to_device', content: { sender, type: 'm.test.in', message_id: messageId, messages } });
    const forAll = (n: number): JsonObject => ({ [bob1.userId]: { [bob1.deviceId]: { n } } });
    await sendEdus([
      // Not a user of A: ignored whole.
      edu(`@mallory:${pair.b.serverName}`, 'forged', forAll(0)),
      // Carol is not on B: dropped; Bob's part is delivered.
      edu(alice.userId, 'mixed', { '@carol:elsewhere.test': { C: { n: -1 } }, ...forAll(1) }),
    ]);
    // The same message_id again, in a new transaction: already handled.
    await sendEdus([edu(alice.userId, 'mixed', forAll(1))]);
    await sendEdus([edu(alice.userId, 'last', forAll(2))]);
    const res = await syncUntil(bob1, since, 2);
    assert.deepEqual(res.to_device.events, [
      { sender: alice.userId, type: 'm.test.in', content: { n: 1 } },
      { sender: alice.userId, type: 'm.test.in', content: { n: 2 } },
    ]);
  });
});
