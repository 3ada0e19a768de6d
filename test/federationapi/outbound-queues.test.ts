/**
 * The outbound queues against a real HTTP peer (`outbound-fake-peer.ts`), on both engines:
 * transaction shape, ≤ 50 PDUs / ≤ 100 EDUs per transaction in order, one transaction in flight
 * per destination, backoff after every kind of failure, `heardFrom`, restart resume,
 * blacklisting and sharding.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import pino from 'pino';
import { createOutboundQueues, type OutboundQueues, type OutboundQueuesOptions } from '../../src/federationapi/queue/outbound-queues.js';
import { fnv1a32 } from '../../src/federationapi/queue/shard.js';
import { openFederationStorage, type FederationStorage } from '../../src/federationapi/storage/index.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { startFakePeer, waitFor, type FakePeer } from './outbound-fake-peer.js';

const US = 'us.test';
const logger = pino({ level: 'silent' });
const pdu = (n: number): JsonObject => ({ event_id: `$e${n}`, type: 'm.room.message', content: { n } });
const edu = (n: number) => ({ edu_type: 'm.typing', content: { room_id: '!r:us.test', user_id: `@u${n}:us.test`, typing: true } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LONG = { initialMs: 600_000, maxMs: 3_600_000, blacklistAfterMs: 86_400_000 };

describeEachBackend('federationapi outbound queues', (ctx) => {
  let peer: FakePeer;
  let storage: FederationStorage;
  const opened: OutboundQueues[] = [];
  const queues = (o: Partial<OutboundQueuesOptions> = {}): OutboundQueues => {
    const q = createOutboundQueues({ storage, client: peer.client(), serverName: US, logger, ...o });
    opened.push(q);
    return q;
  };

  beforeEach(async () => {
    peer = await startFakePeer();
    storage = await openFederationStorage(await ctx.open());
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.stop()));
    await peer.close();
  });

  it('sends one PUT /send per transaction, never to us, and empties the queue', async () => {
    const q = queues();
    await q.resume();
    const before = Date.now();
    await q.sendPdus(['a.test', US, 'b.test', 'a.test'], [pdu(1), pdu(2)]);
    await q.sendEdus(['b.test'], [edu(1)]);
    await waitFor(() => peer.sentTo('a.test').length === 1 && peer.sentTo('b.test').flatMap((r) => r.body.edus as JsonObject[]).length === 1, 'deliveries');
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0, 'empty queues');
    assert.deepEqual(peer.sentTo(US), []);
    const [a] = peer.sentTo('a.test');
    assert.equal(a!.method, 'PUT');
    assert.equal(a!.path, `/_matrix/federation/v1/send/${a!.txnId}`);
    assert.match(a!.txnId, /^\d+-\d+$/);
    assert.deepEqual(Object.keys(a!.body).sort(), ['edus', 'origin', 'origin_server_ts', 'pdus']);
    assert.equal(a!.body.origin, US);
    assert.ok((a!.body.origin_server_ts as number) >= before && (a!.body.origin_server_ts as number) <= Date.now());
    assert.deepEqual(a!.body.pdus, [pdu(1), pdu(2)]);
    assert.deepEqual(a!.body.edus, []);
    assert.deepEqual(peer.sentTo('b.test').flatMap((r) => r.body.pdus as JsonObject[]), [pdu(1), pdu(2)]);
    assert.deepEqual(peer.sentTo('b.test').flatMap((r) => r.body.edus as JsonObject[]), [edu(1)]);
    assert.equal(new Set(peer.received.map((r) => r.txnId)).size, peer.received.length);
  });

  it('batches at most 50 PDUs and 100 EDUs per transaction, oldest first', async () => {
    const pdus = Array.from({ length: 120 }, (_, i) => pdu(i));
    const edus = Array.from({ length: 130 }, (_, i) => edu(i));
    await storage.queuePdus(['a.test'], pdus);
    await storage.queueEdus(['a.test'], edus);
    const q = queues();
    await q.resume();
    await waitFor(() => peer.sentTo('a.test').length === 3, 'three transactions');
    await sleep(50);
    const sent = peer.sentTo('a.test');
    assert.deepEqual(sent.map((r) => [(r.body.pdus as unknown[]).length, (r.body.edus as unknown[]).length]), [[50, 100], [50, 30], [20, 0]]);
    assert.deepEqual(sent.flatMap((r) => r.body.pdus as JsonObject[]), pdus);
    assert.deepEqual(sent.flatMap((r) => r.body.edus as JsonObject[]), edus);
  });

  it('keeps one transaction in flight per destination; what arrives meanwhile goes next', async () => {
    peer.delayMs = 150;
    const q = queues();
    await q.sendPdus(['a.test'], [pdu(1)]);
    await waitFor(() => peer.sentTo('a.test').length === 1, 'first transaction');
    await q.sendPdus(['a.test'], [pdu(2)]);
    await q.sendPdus(['a.test'], [pdu(3)]);
    await waitFor(() => peer.sentTo('a.test').length === 2, 'second transaction');
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0, 'empty queue');
    assert.equal(peer.maxInFlightPerDestination(), 1);
    assert.deepEqual(peer.sentTo('a.test').map((r) => r.body.pdus), [[pdu(1)], [pdu(2), pdu(3)]]);
  });

  it('treats per-PDU errors in a 200 as delivered', async () => {
    peer.pduResults = { $e1: { error: 'You are not allowed to send this' } };
    const q = queues();
    await q.sendPdus(['a.test'], [pdu(1)]);
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0, 'empty queue');
    await sleep(100);
    assert.equal(peer.sentTo('a.test').length, 1);
    assert.equal(await storage.destinationHealth('a.test'), undefined);
  });

  it('backs off exponentially after failures, resends the same content, then clears the health', async () => {
    peer.failNext('a.test', 500, 503);
    const q = queues({ backoff: { initialMs: 80, maxMs: 10_000 } });
    await q.sendPdus(['a.test'], [pdu(1), pdu(2)]);
    await waitFor(() => peer.sentTo('a.test').length === 1, 'first attempt');
    await waitFor(async () => (await storage.destinationHealth('a.test'))?.failureCount === 1, 'first failure recorded');
    const h1 = await storage.destinationHealth('a.test');
    assert.equal(h1!.retryAt - h1!.failingSince, 80);
    assert.equal(h1!.blacklistedAt, undefined);
    await waitFor(() => peer.sentTo('a.test').length === 3, 'third attempt');
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0, 'delivered');
    const sent = peer.sentTo('a.test');
    // Timer slack: Node may fire a timer up to a millisecond early.
    assert.ok(sent[1]!.at - sent[0]!.at >= 78, `first wait ${sent[1]!.at - sent[0]!.at} ms`);
    assert.ok(sent[2]!.at - sent[1]!.at >= 158, `second wait ${sent[2]!.at - sent[1]!.at} ms`);
    assert.deepEqual(sent.map((r) => r.body.pdus), [[pdu(1), pdu(2)], [pdu(1), pdu(2)], [pdu(1), pdu(2)]]);
    // A resend is a new transaction: the queue may have grown, and the receiver caches by ID.
    assert.equal(new Set(sent.map((r) => r.txnId)).size, 3);
    assert.equal(await storage.destinationHealth('a.test'), undefined);
  });

  it('counts 429, other 4xx and dropped connections as failures; heardFrom retries at once', async () => {
    peer.failNext('a.test', 429, 400, 'reset');
    const q = queues({ backoff: LONG });
    await q.sendPdus(['a.test'], [pdu(1)]);
    for (const n of [1, 2, 3]) {
      await waitFor(() => peer.sentTo('a.test').length === n, `attempt ${n}`);
      const at = peer.sentTo('a.test')[n - 1]!.at;
      // heardFrom forgot the earlier failures: each retry's failure starts a new run.
      await waitFor(async () => ((await storage.destinationHealth('a.test'))?.failingSince ?? 0) >= at, `failure ${n} stored`);
      const h = await storage.destinationHealth('a.test');
      assert.equal(h!.failureCount, 1);
      assert.equal(h!.retryAt - h!.failingSince, LONG.initialMs);
      // Backed off for 10 minutes: only heardFrom gets it going again.
      await sleep(50);
      assert.equal(peer.sentTo('a.test').length, n);
      await q.heardFrom('a.test');
    }
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0, 'delivered');
    assert.equal(peer.sentTo('a.test').length, 4);
    assert.equal(await storage.destinationHealth('a.test'), undefined);
    // heardFrom a healthy or unknown server changes nothing.
    await q.heardFrom('a.test');
    await q.heardFrom('nobody.test');
    assert.equal(peer.received.length, 4);
  });

  it('heardFrom while a failure is being stored still retries at once, and leaves no failure stored', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let storing = false;
    // The failure's write is held until heardFrom has run, as a slow database would.
    const slow: FederationStorage = {
      ...storage,
      async setDestinationHealth(h) {
        storing = true;
        await gate;
        return storage.setDestinationHealth(h);
      },
    };
    peer.failNext('a.test', 500);
    const q = queues({ storage: slow, backoff: LONG });
    await q.sendPdus(['a.test'], [pdu(1)]);
    await waitFor(() => storing, 'failure being stored');
    await q.heardFrom('a.test');
    release();
    await waitFor(() => peer.sentTo('a.test').length === 2, 'retry without waiting out the 10 min backoff');
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0, 'delivered');
    assert.equal(await storage.destinationHealth('a.test'), undefined);
  });

  it('resumes persisted work and persisted backoff after a restart', async () => {
    peer.failAlways('a.test', 502);
    const first = queues({ backoff: LONG });
    await first.sendPdus(['a.test'], [pdu(1)]);
    await first.sendPdus(['b.test'], [pdu(2)]);
    await waitFor(async () => (await storage.destinationHealth('a.test'))?.failureCount === 1, 'failure');
    await waitFor(async () => (await storage.destinationsWithPending()).join() === 'a.test', 'b delivered');
    await first.stop();
    peer.failAlways('a.test', undefined);

    // Restarted before the retry time: the backoff holds.
    const second = queues({ backoff: LONG });
    await second.resume();
    await sleep(200);
    assert.equal(peer.sentTo('a.test').length, 1);
    await second.stop();

    // Restarted after it: the queue is delivered, under a new transaction ID.
    const later = () => Date.now() + 11 * 60_000;
    const third = queues({ backoff: LONG, now: later });
    await third.resume();
    await waitFor(() => peer.sentTo('a.test').length === 2, 'delivery after restart');
    const [failed, delivered] = peer.sentTo('a.test');
    assert.deepEqual(delivered!.body.pdus, [pdu(1)]);
    assert.notEqual(delivered!.txnId, failed!.txnId);
    await waitFor(async () => (await storage.destinationsWithPending()).length === 0 && (await storage.destinationHealth('a.test')) === undefined, 'clean');
  });

  it('blacklists a destination failing for blacklistAfterMs until it is heard from', async () => {
    peer.failAlways('dead.test', 500);
    const q = queues({ backoff: { initialMs: 20, maxMs: 20, blacklistAfterMs: 150 } });
    await q.sendPdus(['dead.test'], [pdu(1)]);
    await waitFor(async () => (await storage.blacklistedDestinations()).includes('dead.test'), 'blacklisted');
    const attempts = peer.sentTo('dead.test').length;
    assert.ok(attempts >= 3, `${attempts} attempts`);
    const h = await storage.destinationHealth('dead.test');
    assert.ok(h!.blacklistedAt! - h!.failingSince >= 150);
    assert.deepEqual(await storage.destinationsWithPending(), []);

    // Nothing new is queued or sent, by this process or the next.
    await q.sendPdus(['dead.test'], [pdu(2)]);
    const restarted = queues({ backoff: { initialMs: 20, maxMs: 20, blacklistAfterMs: 150 } });
    await restarted.resume();
    await restarted.sendEdus(['dead.test'], [edu(1)]);
    await sleep(100);
    assert.deepEqual(await storage.destinationsWithPending(), []);
    assert.equal(peer.sentTo('dead.test').length, attempts);

    // It contacts us: the blacklist is lifted and new work flows.
    peer.failAlways('dead.test', undefined);
    await restarted.heardFrom('dead.test');
    assert.equal(await storage.destinationHealth('dead.test'), undefined);
    await restarted.sendPdus(['dead.test'], [pdu(3)]);
    await waitFor(() => peer.sentTo('dead.test').length === attempts + 1, 'delivery after heardFrom');
    assert.deepEqual(peer.sentTo('dead.test').at(-1)!.body.pdus, [pdu(3)]);
  });

  it('splits destinations between shards: each sends only to its own', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}.test`);
    const shard0 = queues({ client: peer.client('0'), shard: { index: 0, count: 2 } });
    const shard1 = queues({ client: peer.client('1'), shard: { index: 1, count: 2 } });
    await shard0.sendPdus(names, [pdu(1)]);
    await shard1.sendPdus(names, [pdu(1)]);
    await waitFor(() => peer.received.length === names.length, 'one transaction per destination');
    await sleep(100);
    assert.equal(peer.received.length, names.length);
    for (const r of peer.received) assert.equal(r.instance, String(fnv1a32(r.destination) % 2), r.destination);
    assert.deepEqual(peer.received.map((r) => r.destination).sort(), [...names].sort());
    assert.ok(peer.received.some((r) => r.instance === '0') && peer.received.some((r) => r.instance === '1'));

    // Resuming, a shard picks up only its own destinations' persisted work.
    await storage.queuePdus(names, [pdu(2)]);
    await shard0.resume();
    const own0 = names.filter((n) => fnv1a32(n) % 2 === 0);
    await waitFor(() => peer.received.length === names.length + own0.length, 'shard 0 resumed');
    await sleep(100);
    assert.deepEqual(await storage.destinationsWithPending(), names.filter((n) => fnv1a32(n) % 2 === 1).sort());
    // heardFrom for another shard's destination is ignored here.
    await shard0.heardFrom(names.find((n) => fnv1a32(n) % 2 === 1)!);
    assert.equal(peer.received.length, names.length + own0.length);
  });

  it('sends nothing after stop; what is queued stays', async () => {
    const q = queues();
    await q.stop();
    await q.sendPdus(['a.test'], [pdu(1)]);
    await sleep(100);
    assert.deepEqual(peer.received, []);
    assert.deepEqual(await storage.destinationsWithPending(), ['a.test']);
  });
});
