/**
 * Conformance: handler errors, and durable consumers across a close and reopen of the bus.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DeliveredMessage } from '../../src/internal/bus/bus.js';
import { byKey, expectedForKey, numbered, sleep, testTopic, waitFor, type TestPayload } from './bus-test-kit.js';
import { describeEachBus } from './describe-each-bus.js';

describeEachBus('bus redelivery', (ctx) => {
  it('redelivers after a handler error, same id, deliveryCount counting up, key order kept', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Retry');
    const log: { n: number; id: string; count: number; ok: boolean }[] = [];
    await bus.subscribe<TestPayload>({
      topic,
      consumer: 'retry',
      async handler(m) {
        const fail = m.payload.n === 0 && m.deliveryCount <= 2;
        log.push({ n: m.payload.n, id: m.id, count: m.deliveryCount, ok: !fail });
        if (fail) throw new Error('boom');
      },
    });
    await bus.publish([
      { topic, key: 'a', payload: { key: 'a', n: 0 } },
      { topic, key: 'a', payload: { key: 'a', n: 1 } },
    ]);
    await waitFor('message 1 after message 0 succeeded', () => log.some((l) => l.n === 1), 10_000);
    const zero = log.filter((l) => l.n === 0);
    assert.deepEqual(
      zero.map((l) => l.count),
      [1, 2, 3],
    );
    assert.equal(new Set(zero.map((l) => l.id)).size, 1, 'the id is stable across redeliveries');
    assert.deepEqual(
      log.map((l) => l.n),
      [0, 0, 0, 1],
      'message 1 of the same key waits for message 0',
    );
    assert.equal(log[3]!.count, 1);
  });

  it('lets other keys flow while one key keeps failing, then delivers that key in order', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Poison');
    let badFails = true;
    const good: number[] = [];
    const bad: { n: number; ok: boolean }[] = [];
    await bus.subscribe<TestPayload>({
      topic,
      consumer: 'poison',
      concurrency: 1,
      async handler(m) {
        if (m.key === 'bad') {
          bad.push({ n: m.payload.n, ok: !badFails });
          if (badFails) throw new Error('poison');
          return;
        }
        good.push(m.payload.n);
      },
    });
    await bus.publish([
      { topic, key: 'bad', payload: { key: 'bad', n: 0 } },
      { topic, key: 'bad', payload: { key: 'bad', n: 1 } },
      ...Array.from({ length: 50 }, (_, i) => ({ topic, key: 'good', payload: { key: 'good', n: i } })),
    ]);
    await waitFor('the other key to be fully handled', () => good.length >= 50);
    assert.deepEqual(good, Array.from({ length: 50 }, (_, i) => i));
    assert.ok(bad.length >= 1, 'the bad key was tried');
    assert.ok(
      bad.every((b) => b.n === 0),
      'the failing message blocks the later message of its own key',
    );
    badFails = false;
    await waitFor('the bad key to recover', () => bad.some((b) => b.n === 1));
    const oks = bad.filter((b) => b.ok).map((b) => b.n);
    assert.deepEqual(oks, [0, 1]);
  });

  it('resumes a durable consumer after a restart: acknowledged not redelivered, unacknowledged not lost', async () => {
    const ns = await ctx.namespace();
    const topic = testTopic('Resume');
    const first = await ns.open();
    const firstRun: number[] = [];
    // Messages 0–49 are acknowledged; 50+ fail, so they stay unacknowledged (and block their keys).
    await first.subscribe<TestPayload>({
      topic,
      consumer: 'resume',
      concurrency: 3,
      async handler(m) {
        if (m.payload.n >= 50) throw new Error('not yet');
        firstRun.push(m.payload.n);
      },
    });
    await first.publish(numbered(topic, 100, 5));
    await waitFor('the first 50 acknowledged', () => firstRun.length >= 50);
    await first.close();
    assert.deepEqual([...firstRun].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));

    // Published while nobody consumes.
    const producer = await ns.open();
    await producer.publish(numbered(topic, 50, 5, 100));
    await producer.close();

    const second = await ns.open();
    const got: DeliveredMessage<TestPayload>[] = [];
    await second.subscribe<TestPayload>({ topic, consumer: 'resume', concurrency: 3, handler: async (m) => void got.push(m) });
    await waitFor('messages 50–149', () => new Set(got.map((m) => m.payload.n)).size >= 100);
    await sleep(200); // room for a wrongful redelivery of an acknowledged message to show up
    const ns2 = got.map((m) => m.payload.n);
    assert.deepEqual(
      ns2.filter((n) => n < 50),
      [],
      'acknowledged messages came again',
    );
    assert.deepEqual(new Set(ns2), new Set(Array.from({ length: 100 }, (_, i) => 50 + i)));
    for (const [key, list] of byKey(got)) assert.deepEqual(list, expectedForKey(key, 100, 5, 50), `order of ${key}`);
  });

  it('starts a new consumer group from the oldest retained message', async () => {
    const bus = await (await ctx.namespace()).open();
    const topic = testTopic('Late');
    await bus.publish(numbered(topic, 20, 2));
    const got: number[] = [];
    await bus.subscribe<TestPayload>({ topic, consumer: 'late', handler: async (m) => void got.push(m.payload.n) });
    await waitFor('20 messages published before the subscription', () => got.length >= 20);
    assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => i));
  });
});
