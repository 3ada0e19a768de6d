/**
 * What only the NATS bus has to survive: its server restarting (SIGTERM, and SIGKILL with no
 * chance to flush) and a subscriber process dying with messages delivered but not acknowledged.
 * Each test runs its own nats-server, since restarting the shared one would disturb other suites.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bus, DeliveredMessage, TopicSpec } from '../../src/internal/bus/bus.js';
import { createNatsBus } from '../../src/internal/bus/nats/create-nats-bus.js';
import { natsUnavailableReason, startNats, type NatsServer } from '../harness/nats-server.js';
import { servicesRequired, skipReason } from '../harness/services-required.js';
import { TEST_NATS_OPTIONS, uniquePrefix } from './nats-backend.js';
import { runFixture } from './run-fixture.js';

const why = natsUnavailableReason();
const skip = why && !servicesRequired() ? skipReason('NATS', why) : false;

const DURABLE: TopicSpec = { name: 'Durable' };
const EPHEMERAL: TopicSpec = { name: 'Typing', ephemeral: { maxAgeMs: 60_000 } };

interface Payload {
  readonly n: number;
  readonly hang?: boolean;
}

/** Collects deliveries and checks that each key's first deliveries come in publish order. */
function recorder() {
  const firstSeen = new Map<string, number[]>();
  const ids = new Set<string>();
  const ns = new Set<number>();
  return {
    ids,
    ns,
    firstSeen,
    handler: async (m: DeliveredMessage<Payload>) => {
      if (ids.has(m.id)) return; // a redelivery: at-least-once allows it
      ids.add(m.id);
      ns.add(m.payload.n);
      firstSeen.set(m.key, [...(firstSeen.get(m.key) ?? []), m.payload.n]);
      await new Promise((r) => setImmediate(r));
    },
  };
}

function messages(topic: TopicSpec, from: number, count: number, keys: number, room = 'room') {
  return Array.from({ length: count }, (_, i) => ({ topic, key: `!${room}${(from + i) % keys}:example.org`, payload: { n: from + i } }));
}

/**
 * Publishes batches one after another until stopped; returns the numbers whose publish resolved
 * and the errors of those that failed.
 */
function keepPublishing(bus: Bus, topic: TopicSpec): { stop(): Promise<{ acked: number[]; errors: unknown[] }> } {
  const acked: number[] = [];
  const errors: unknown[] = [];
  let running = true;
  const loop = (async () => {
    for (let n = 100_000; running; n += 10) {
      const batch = messages(topic, n, 10, 5, 'busy');
      try {
        await bus.publish(batch);
        acked.push(...batch.map((m) => m.payload.n));
      } catch (e) {
        errors.push(e);
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { acked, errors };
    },
  };
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Restarts the server while sampling `problems()`; returns the problems it reported meanwhile. */
async function restartWatchingHealth(server: NatsServer, bus: Bus, signal: NodeJS.Signals): Promise<string[]> {
  const seen: string[] = [];
  const sampler = setInterval(() => seen.push(...bus.problems()), 2);
  try {
    await server.restart(signal);
    await until('a problem report while NATS is down', () => seen.length > 0, 5000);
  } finally {
    clearInterval(sampler);
  }
  return seen;
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  describe(`NATS bus across a nats-server restart (${signal})`, { skip }, () => {
    let server: NatsServer;
    let bus: Bus;
    before(async () => {
      server = await startNats();
      bus = await createNatsBus({ ...TEST_NATS_OPTIONS, servers: server.url, prefix: uniquePrefix(), ackWaitMs: 2000 });
    });
    after(async () => {
      await bus?.close();
      await server?.stop();
    });

    it('loses no acknowledged publish, reports the outage, and resumes consuming', async () => {
      const durable = recorder();
      const ephemeral = recorder();
      await bus.subscribe({ topic: DURABLE, consumer: 'syncapi', concurrency: 4, handler: durable.handler });
      await bus.subscribe({ topic: EPHEMERAL, consumer: 'syncapi', handler: ephemeral.handler });
      // Stored before the restart, most still unconsumed when the server goes down.
      await bus.publish(messages(DURABLE, 0, 2000, 20));
      assert.deepEqual(bus.problems(), []);

      // Publishing goes on through the restart: whatever the stream acknowledged must arrive.
      const busy = keepPublishing(bus, DURABLE);
      const problems = await restartWatchingHealth(server, bus, signal);
      assert.match(problems[0] ?? '', /^NATS: disconnected from /);

      // Published after the restart: waits for the reconnect, then must be stored too.
      await bus.publish(messages(DURABLE, 2000, 500, 20));
      const { acked, errors } = await busy.stop();
      // The outage is far shorter than the publish timeout: publishes made meanwhile wait for the
      // reconnect and succeed.
      assert.deepEqual(errors, []);
      assert.ok(acked.length > 0);
      await until('every durable message', () => durable.ns.size === 2500 + acked.length);
      for (const n of acked) assert.ok(durable.ns.has(n), `acknowledged message ${n} arrived`);
      for (const [key, ns] of durable.firstSeen) {
        assert.deepEqual(ns, [...ns].sort((a, b) => a - b), `order of ${key}`);
        if (key.startsWith('!room')) assert.equal(ns.length, 125);
      }
      // The memory stream of the ephemeral topic died with the server: it is recreated, and both
      // publishing and consuming work on it again.
      await bus.publish(messages(EPHEMERAL, 0, 10, 2));
      await until('the ephemeral messages', () => ephemeral.ids.size === 10);
      await until('health to recover', () => bus.problems().length === 0, 5000);
    });
  });
}

describe('NATS bus when a subscriber process dies mid-handler', { skip }, () => {
  let server: NatsServer;
  let bus: Bus;
  const prefix = uniquePrefix();
  before(async () => {
    server = await startNats();
    bus = await createNatsBus({ ...TEST_NATS_OPTIONS, servers: server.url, prefix });
  });
  after(async () => {
    await bus?.close();
    await server?.stop();
  });

  it('replays its unacknowledged messages at once and in order, before newer ones', async () => {
    const key = '!room:example.org';
    const other = '!other:example.org';
    const msg = (k: string, n: number, hang = false) => ({ topic: DURABLE, key: k, payload: { n, hang } });
    await bus.publish([msg(key, 1), msg(key, 2), msg(key, 3, true), msg(key, 4), msg(other, 1), msg(other, 2)]);

    const child = runFixture('nats-subscriber-child.ts', [server.url, prefix, DURABLE.name, 'roomserver']);
    await child.printed(`got ${key} 3`);
    await child.printed(`got ${other} 2`);
    await new Promise((r) => setTimeout(r, 300)); // let the acks of 1 and 2 reach the server
    child.child.kill('SIGKILL');
    await child.exited;
    // Published after the crash: JetStream alone would hand this out before redelivering 3 and 4
    // (only after their 30 s ack wait).
    await bus.publish([msg(key, 5)]);

    const got: Array<[string, number]> = [];
    const sub = await bus.subscribe<Payload>({
      topic: DURABLE,
      consumer: 'roomserver',
      handler: async (m) => void got.push([m.key, m.payload.n]),
    });
    // Well within the 30 s ack wait: the replay, not JetStream's redelivery, brought them back.
    await until('the replay', () => got.some(([k, n]) => k === key && n === 5), 10_000);
    assert.deepEqual(
      got.filter(([k]) => k === key).map(([, n]) => n),
      [3, 4, 5],
    );
    await sub.stop();
  });
});
