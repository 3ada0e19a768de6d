/**
 * The relay outbox on its own, with a `publish` callback standing in for a bus: batches and
 * order of a start-up relay, retries after a failed relay, rollback, rejected topics, close().
 * (The conformance suite in `test/bus/` runs it through every bus implementation.)
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pino } from 'pino';
import { describeEachBackend } from '../../../test/harness/describe-each-backend.js';
import type { BusMessage } from './bus.js';
import type { Database } from '../sqlutil/database.js';
import { readOutboxRows, type OutboxRow } from './outbox-table.js';
import { createRelayOutbox, type RelayOutbox } from './relay-outbox.js';

const topic = { name: 'Relayed' };

function messages(from: number, count: number): BusMessage<{ n: number }>[] {
  return Array.from({ length: count }, (_, i) => ({ topic, key: `k${(from + i) % 3}`, payload: { n: from + i } }));
}

/** A publish callback that records batches and fails while `down` is set. */
function recorder() {
  const batches: OutboxRow[][] = [];
  let calls = 0;
  const r = {
    down: false,
    batches,
    get calls() {
      return calls;
    },
    publish: async (rows: readonly OutboxRow[]) => {
      calls++;
      if (r.down) throw new Error('bus down');
      batches.push([...rows]);
    },
    numbers: () => batches.flat().map((row) => (JSON.parse(row.payload) as { n: number }).n),
  };
  return r;
}

async function addCommitted(database: Database, outbox: RelayOutbox, msgs: readonly BusMessage[]): Promise<void> {
  await database.db.transaction().execute((trx) => outbox.add(trx, msgs));
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeEachBackend('relay outbox', (ctx) => {
  it('relays what an earlier process committed before resolving: oldest first, 1000 rows a batch, same IDs, then deleted', async () => {
    const database = await ctx.open();
    const earlier = recorder();
    const first = await createRelayOutbox({ database, name: 'producer', publish: earlier.publish });
    await addCommitted(database, first, messages(0, 1500));
    await addCommitted(database, first, messages(1500, 1000));
    await first.close(); // never flushed: the process "died"
    assert.equal(earlier.calls, 0);
    const stored = await readOutboxRows(database, 'producer', 5000);

    const later = recorder();
    const second = await createRelayOutbox({ database, name: 'producer', publish: later.publish });
    assert.deepEqual(
      later.batches.map((b) => b.length),
      [1000, 1000, 500],
    );
    assert.deepEqual(later.numbers(), Array.from({ length: 2500 }, (_, i) => i));
    assert.deepEqual(
      later.batches.flat().map((r) => r.msg_id),
      stored.map((r) => r.msg_id),
    );
    assert.equal(new Set(stored.map((r) => r.msg_id)).size, 2500);
    assert.deepEqual(await readOutboxRows(database, 'producer', 10), []);
    await second.close();
  });

  it('keeps producers sharing a table apart', async () => {
    const database = await ctx.open();
    const a = recorder();
    const b = recorder();
    const outA = await createRelayOutbox({ database, name: 'a', publish: a.publish });
    const outB = await createRelayOutbox({ database, name: 'b', publish: b.publish });
    await addCommitted(database, outA, messages(0, 2));
    await addCommitted(database, outB, messages(10, 3));
    await outA.flush();
    assert.deepEqual(a.numbers(), [0, 1]);
    assert.deepEqual(b.numbers(), []);
    assert.equal((await readOutboxRows(database, 'b', 10)).length, 3);
    await outB.flush();
    assert.deepEqual(b.numbers(), [10, 11, 12]);
    await Promise.all([outA.close(), outB.close()]);
  });

  it('rejects flush() while publishing fails and relays in the background once it works, logging the failure', async () => {
    const database = await ctx.open();
    const logs: { level: number; msg: string; outbox?: string; retryInMs?: number }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) });
    const bus = recorder();
    const outbox = await createRelayOutbox({ database, name: 'producer', publish: bus.publish, logger });
    await addCommitted(database, outbox, messages(0, 3));
    bus.down = true;
    await assert.rejects(outbox.flush(), /bus down/);
    assert.equal((await readOutboxRows(database, 'producer', 10)).length, 3, 'rows stay until relayed');
    bus.down = false;
    await until('the background retry', () => bus.batches.length === 1); // no flush() in between
    assert.deepEqual(bus.numbers(), [0, 1, 2]);
    assert.deepEqual(await readOutboxRows(database, 'producer', 10), []);
    assert.deepEqual(
      logs.map((l) => [l.msg, l.outbox, l.retryInMs]),
      [['bus: outbox relay failed; will retry', 'producer', 500]],
    );
    await outbox.close();
  });

  it('resolves even when the start-up relay fails, then relays what was left once publishing works', async () => {
    const database = await ctx.open();
    const first = await createRelayOutbox({ database, name: 'producer', publish: recorder().publish });
    await addCommitted(database, first, messages(0, 4));
    await first.close();

    const bus = recorder();
    bus.down = true;
    const outbox = await createRelayOutbox({ database, name: 'producer', publish: bus.publish });
    assert.equal(bus.calls, 1);
    bus.down = false;
    await until('the background retry', () => bus.batches.length === 1);
    assert.deepEqual(bus.numbers(), [0, 1, 2, 3]);
    await outbox.close();
  });

  it('stops retrying once closed', async () => {
    const database = await ctx.open();
    const bus = recorder();
    const outbox = await createRelayOutbox({ database, name: 'producer', publish: bus.publish });
    await addCommitted(database, outbox, messages(0, 1));
    bus.down = true;
    await assert.rejects(outbox.flush(), /bus down/);
    await outbox.close();
    await new Promise((r) => setTimeout(r, 800)); // past the first retry's 500 ms
    assert.equal(bus.calls, 1);
    assert.equal((await readOutboxRows(database, 'producer', 10)).length, 1, 'the row waits for the next process');
  });

  it('publishes nothing of a rolled-back transaction and refuses ephemeral topics and bad names', async () => {
    const database = await ctx.open();
    const bus = recorder();
    const outbox = await createRelayOutbox({ database, name: 'producer', publish: bus.publish });
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await outbox.add(trx, messages(0, 2));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await assert.rejects(
      addCommitted(database, outbox, [{ topic: { name: 'Typing', ephemeral: { maxAgeMs: 1000 } }, key: 'k', payload: {} }]),
      /ephemeral topic Typing cannot go through an outbox/,
    );
    await assert.rejects(addCommitted(database, outbox, [{ topic: { name: 'bad.name' }, key: 'k', payload: {} }]), /invalid bus topic name "bad.name"/);
    await outbox.flush();
    assert.equal(bus.calls, 0);
    assert.deepEqual(await readOutboxRows(database, 'producer', 10), []);
    await outbox.close();
  });
});
