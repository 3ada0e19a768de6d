/**
 * Conformance: what every consumer receives and in which order, on every bus backend.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DeliveredMessage } from '../../src/internal/bus/bus.js';
import { byKey, expectedForKey, numbered, sleep, testTopic, waitFor, type TestPayload } from './bus-test-kit.js';
import { describeEachBus } from './describe-each-bus.js';

describeEachBus('bus delivery', (ctx) => {
  it('keeps publish order per key across many interleaved keys, with concurrency', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Order');
    const got: DeliveredMessage<TestPayload>[] = [];
    const busyKeys = new Set<string>();
    let overlapSameKey = false;
    await bus.subscribe<TestPayload>({
      topic,
      consumer: 'order',
      concurrency: 8,
      async handler(m) {
        if (busyKeys.has(m.key)) overlapSameKey = true;
        busyKeys.add(m.key);
        // Uneven handler times would reorder a key's messages if the bus let them overlap.
        if (m.payload.n % 7 === 0) await sleep(1);
        else await Promise.resolve();
        busyKeys.delete(m.key);
        got.push(m);
      },
    });
    const all = numbered(topic, 2000, 20);
    for (let i = 0; i < all.length; i += 100) await bus.publish(all.slice(i, i + 100));
    await waitFor('2000 messages', () => got.length >= 2000);
    await sleep(50);
    assert.equal(got.length, 2000, 'no duplicates in a run without failures');
    assert.equal(overlapSameKey, false, 'two messages of one key were handled at once');
    const keys = byKey(got);
    assert.equal(keys.size, 20);
    for (const [key, ns] of keys) assert.deepEqual(ns, expectedForKey(key, 2000, 20), `order of ${key}`);
    assert.equal(new Set(got.map((m) => m.id)).size, 2000, 'ids are unique');
  });

  it('gives every consumer group every message', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Groups');
    const groups = ['alpha', 'beta', 'gamma'];
    const got = new Map(groups.map((g) => [g, [] as DeliveredMessage<TestPayload>[]]));
    for (const g of groups) {
      await bus.subscribe<TestPayload>({ topic, consumer: g, concurrency: 2, handler: async (m) => void got.get(g)!.push(m) });
    }
    await bus.publish(numbered(topic, 300, 6));
    await waitFor('every group to have 300', () => groups.every((g) => got.get(g)!.length >= 300));
    await sleep(50);
    const idsOf = (g: string) =>
      got
        .get(g)!
        .map((m) => `${m.payload.n}:${m.id}`)
        .sort();
    for (const g of groups) {
      assert.equal(got.get(g)!.length, 300, `${g} got each message once`);
      assert.deepEqual(new Set(got.get(g)!.map((m) => m.payload.n)), new Set(Array.from({ length: 300 }, (_, i) => i)));
    }
    assert.deepEqual(idsOf('beta'), idsOf('alpha'), 'a message has the same id in every group');
    assert.deepEqual(idsOf('gamma'), idsOf('alpha'));
  });

  it('delivers topic, key, id, deliveryCount and a JSON payload unchanged', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Payload');
    const payload = { text: 'héllo ✓ 🐈', n: -12.5, big: 2 ** 52, none: null, list: [1, 'two', { three: [] }], empty: {} };
    const got: DeliveredMessage[] = [];
    await bus.subscribe({ topic, consumer: 'p', handler: async (m) => void got.push(m) });
    await bus.publish([{ topic, key: '!room:example.org', payload }]);
    await waitFor('the message', () => got.length === 1);
    const m = got[0]!;
    assert.equal(m.topic, topic.name);
    assert.equal(m.key, '!room:example.org');
    assert.equal(m.deliveryCount, 1);
    assert.deepEqual(m.payload, payload);
    assert.equal(typeof m.id, 'string');
    assert.ok(m.id.length > 0);
  });

  it('handles different keys at once up to the concurrency, never one key twice at once', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Concurrency');
    let inFlight = 0;
    let maxInFlight = 0;
    let done = 0;
    const busyKeys = new Set<string>();
    let overlapSameKey = false;
    await bus.subscribe<TestPayload>({
      topic,
      consumer: 'c',
      concurrency: 4,
      async handler(m) {
        if (busyKeys.has(m.key)) overlapSameKey = true;
        busyKeys.add(m.key);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await sleep(15);
        inFlight--;
        busyKeys.delete(m.key);
        done++;
      },
    });
    await bus.publish(numbered(topic, 40, 8));
    await waitFor('40 handled', () => done >= 40);
    assert.equal(maxInFlight, 4);
    assert.equal(overlapSameKey, false);
  });

  it('reaches a running subscriber from another connection to the same bus', async () => {
    const ns = await ctx.namespace();
    const consumerSide = await ns.open();
    const producerSide = await ns.open();
    const topic = testTopic('Cross');
    const got: number[] = [];
    await consumerSide.subscribe<TestPayload>({ topic, consumer: 'x', handler: async (m) => void got.push(m.payload.n) });
    await sleep(50); // the subscriber is idle and waiting before the publish happens
    await producerSide.publish(numbered(topic, 10, 1));
    await waitFor('10 messages from the other connection', () => got.length >= 10, 5000);
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('delivers ephemeral topics to their subscribers in order', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Typing', { maxAgeMs: 60_000 });
    const got: DeliveredMessage<TestPayload>[] = [];
    await bus.subscribe<TestPayload>({ topic, consumer: 'sync', handler: async (m) => void got.push(m) });
    await bus.publish(numbered(topic, 30, 3));
    await waitFor('30 ephemeral messages', () => got.length >= 30);
    for (const [key, ns] of byKey(got)) assert.deepEqual(ns, expectedForKey(key, 30, 3));
  });

  it('stop() waits for the handler in progress', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Stop');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    let finished = false;
    const sub = await bus.subscribe({
      topic,
      consumer: 's',
      async handler() {
        started = true;
        await gate;
        finished = true;
      },
    });
    await bus.publish([{ topic, key: 'k', payload: 1 }]);
    await waitFor('the handler to start', () => started);
    let stopped = false;
    const stopping = sub.stop().then(() => (stopped = true));
    await sleep(50);
    assert.equal(stopped, false, 'stop() resolved while a handler was still running');
    release();
    await stopping;
    assert.equal(finished, true);
  });
});
