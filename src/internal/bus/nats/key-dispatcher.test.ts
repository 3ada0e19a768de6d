import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKeyDispatcher, exponentialBackoff, type Delivery, type KeyDispatcherOptions } from './key-dispatcher.js';

/** A delivery that records what the dispatcher did with it. */
interface FakeDelivery extends Delivery {
  readonly log: string[];
}

function delivery(log: string[], seq: number, key: string, deliveryCount = 1): FakeDelivery {
  const tag = `${seq}#${deliveryCount}`;
  return {
    log,
    seq,
    key,
    deliveryCount,
    ack: () => log.push(`ack ${tag}`),
    nak: (ms) => log.push(`nak ${tag} ${ms}`),
    working: () => log.push(`working ${tag}`),
  };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await tick(2);
  }
}

function dispatcher(handle: (d: FakeDelivery) => Promise<void>, over: Partial<KeyDispatcherOptions<FakeDelivery>> = {}) {
  return createKeyDispatcher<FakeDelivery>({
    concurrency: 1,
    ackWaitMs: 30_000,
    retryDelayMs: exponentialBackoff(100, 1000),
    handle,
    ...over,
  });
}

describe('createKeyDispatcher', () => {
  it('with concurrency 1 handles messages in stream order across keys, and acks each after its handler', async () => {
    const log: string[] = [];
    const d = dispatcher(async (m) => {
      log.push(`run ${m.seq}`);
      await tick(1);
    });
    d.push(delivery(log, 1, 'a'));
    d.push(delivery(log, 2, 'a'));
    d.push(delivery(log, 3, 'b'));
    await until(() => d.size === 0);
    assert.deepEqual(log, ['run 1', 'ack 1#1', 'run 2', 'ack 2#1', 'run 3', 'ack 3#1']);
    await d.stop();
  });

  it('runs different keys in parallel up to the concurrency, one message per key at a time', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const perKey = new Map<string, number[]>();
    const d = dispatcher(
      async (m) => {
        running++;
        peak = Math.max(peak, running);
        await tick(5);
        perKey.set(m.key, [...(perKey.get(m.key) ?? []), m.seq]);
        running--;
      },
      { concurrency: 3 },
    );
    for (let seq = 1; seq <= 20; seq++) d.push(delivery(log, seq, `k${seq % 5}`));
    await until(() => d.size === 0);
    assert.equal(peak, 3);
    for (let k = 0; k < 5; k++) {
      assert.deepEqual(perKey.get(`k${k}`), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].filter((s) => s % 5 === k));
    }
    await d.stop();
  });

  it('naks a failed message with backoff and holds its key until the redelivery succeeds', async () => {
    const log: string[] = [];
    const d = dispatcher(async (m) => {
      if (m.seq === 1 && m.deliveryCount === 1) throw new Error('boom');
      log.push(`run ${m.seq}`);
    });
    d.push(delivery(log, 1, 'a'));
    d.push(delivery(log, 2, 'a'));
    d.push(delivery(log, 3, 'b'));
    await until(() => log.includes('ack 3#1'));
    await tick(5);
    // Seq 2 waits behind the failed seq 1; the other key flows.
    assert.deepEqual(log, ['nak 1#1 100', 'run 3', 'ack 3#1']);
    assert.equal(d.size, 2);
    d.push(delivery(log, 1, 'a', 2)); // the server's redelivery
    await until(() => d.size === 0);
    assert.deepEqual(log.slice(3), ['run 1', 'ack 1#2', 'run 2', 'ack 2#1']);
    await d.stop();
  });

  it('doubles the retry delay with each failed delivery', async () => {
    const log: string[] = [];
    const failures: number[] = [];
    const d = dispatcher(
      async () => {
        throw new Error('always');
      },
      { onHandlerError: (m) => failures.push(m.deliveryCount) },
    );
    for (let n = 1; n <= 5; n++) {
      d.push(delivery(log, 7, 'a', n));
      await until(() => failures.length === n);
    }
    assert.deepEqual(log, ['nak 7#1 100', 'nak 7#2 200', 'nak 7#3 400', 'nak 7#4 800', 'nak 7#5 1000']);
    await d.stop();
  });

  it('treats a redelivery of a held message as the same message and acks the newest delivery', async () => {
    const log: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const runs: string[] = [];
    const d = dispatcher(async (m) => {
      runs.push(`${m.seq}#${m.deliveryCount}`);
      if (m.seq === 1) await gate;
    });
    d.push(delivery(log, 1, 'a'));
    d.push(delivery(log, 2, 'a'));
    await tick(5);
    d.push(delivery(log, 2, 'a', 2)); // ack wait expired on the server while seq 1 was running
    d.push(delivery(log, 1, 'a', 2));
    release();
    await until(() => d.size === 0);
    assert.deepEqual(runs, ['1#1', '2#2']);
    assert.deepEqual(log, ['ack 1#2', 'ack 2#2']);
    await d.stop();
  });

  it('keeps held messages alive with working() every third of the ack wait', async () => {
    const log: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const d = dispatcher(() => gate, { ackWaitMs: 60 });
    d.push(delivery(log, 1, 'a'));
    d.push(delivery(log, 2, 'a'));
    await until(() => log.filter((l) => l === 'working 2#1').length >= 2);
    assert.ok(log.includes('working 1#1'), 'the running message is kept alive too');
    release();
    await until(() => d.size === 0);
    await d.stop();
  });

  it('stops holding a key when the failed message is never redelivered', async () => {
    const log: string[] = [];
    const d = dispatcher(
      async (m) => {
        if (m.seq === 1) throw new Error('boom');
        log.push(`run ${m.seq}`);
      },
      { ackWaitMs: 30, retryDelayMs: () => 10 },
    );
    d.push(delivery(log, 1, 'a'));
    d.push(delivery(log, 2, 'a'));
    await until(() => log.includes('ack 2#1'));
    assert.deepEqual(log.filter((l) => !l.startsWith('working')), ['nak 1#1 10', 'run 2', 'ack 2#1']);
    await d.stop();
  });

  it('on stop waits for running handlers, then gives held messages back in stream order', async () => {
    const log: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const d = dispatcher(
      async (m) => {
        if (m.seq === 1) throw new Error('boom');
        if (m.seq === 3) await gate;
      },
      { concurrency: 2, retryDelayMs: () => 5000 },
    );
    d.push(delivery(log, 1, 'a')); // fails: waits for redelivery in 5 s
    d.push(delivery(log, 2, 'a')); // held behind 1
    d.push(delivery(log, 3, 'b')); // running
    d.push(delivery(log, 4, 'b')); // queued behind 3
    d.push(delivery(log, 5, 'c')); // runs in the free slot
    await until(() => log.includes('ack 5#1'));
    d.push(delivery(log, 6, 'c'));
    await until(() => log.includes('ack 6#1'));
    const stopping = d.stop();
    d.push(delivery(log, 7, 'c')); // arrives while stopping: held, given back with the rest
    await tick(5);
    assert.ok(!log.includes('ack 3#1'), 'stop waits for the running handler');
    release();
    await stopping;
    const after = log.slice(log.indexOf('ack 3#1'));
    assert.equal(after[0], 'ack 3#1');
    const behind = /^nak 2#1 (\d+)$/.exec(after[1] ?? '');
    assert.ok(behind, `seq 2 given back behind its waiting head: ${after[1]}`);
    assert.deepEqual(after.slice(2), ['nak 4#1 0', 'nak 7#1 0']);
    assert.ok(Number(behind[1]) >= 5000 && Number(behind[1]) <= 6000);
    d.push(delivery(log, 8, 'c'));
    assert.equal(log.at(-1), 'nak 8#1 0');
  });

  it('forgets held messages without naks when told their stream is gone', async () => {
    const log: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const d = dispatcher(() => gate);
    d.push(delivery(log, 1, 'a'));
    d.push(delivery(log, 2, 'a'));
    const stopping = d.stop({ giveBack: false });
    release();
    await stopping;
    assert.deepEqual(log, ['ack 1#1']);
  });
});

describe('exponentialBackoff', () => {
  it('starts at initialMs, doubles per delivery and caps at maxMs', () => {
    const b = exponentialBackoff(250, 3000);
    assert.deepEqual([1, 2, 3, 4, 5, 100].map(b), [250, 500, 1000, 2000, 3000, 3000]);
    assert.equal(b(0), 250);
  });
});
