/**
 * What the embedded bus stores, on SQLite and PostgreSQL: pending messages of a failing key
 * survive a restart, pruning, the direct outbox, repeated relays, and (PostgreSQL) readers
 * never skipping a row whose transaction commits late.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { describeEachBackend } from '../../../../test/harness/describe-each-backend.js';
import type { DeliveredMessage } from '../bus.js';
import { toMessageRows } from '../message-rows.js';
import { readOutboxRows } from '../outbox-table.js';
import type { BusTables } from './bus-tables.js';
import { openDatabase } from '../../sqlutil/open-database.js';
import { createEmbeddedBus } from './create-embedded-bus.js';
import { pruneBusLog } from './prune-bus-log.js';
import { insertLogRows, sqlConsumerStore } from './sql-consumer-store.js';

interface Payload {
  readonly n: number;
}

const topic = { name: 'Stored' };
const fast = { pollIntervalMs: 50, pruneIntervalMs: 3_600_000, retry: { initialMs: 20, maxMs: 100 } };

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeEachBackend('embedded bus storage', (ctx) => {
  it('keeps a failing key’s messages as pending while the position moves on, and redelivers them after a restart', async () => {
    const database = await ctx.open();
    const db = database.db as Kysely<BusTables>;
    const first = await createEmbeddedBus({ database, ...fast });
    let good = 0;
    await first.subscribe<Payload>({
      topic,
      consumer: 'c',
      async handler(m) {
        if (m.key === 'bad') throw new Error('poison');
        good++;
      },
    });
    await first.publish([
      { topic, key: 'bad', payload: { n: 0 } },
      { topic, key: 'bad', payload: { n: 1 } },
      ...Array.from({ length: 100 }, (_, i) => ({ topic, key: 'good', payload: { n: 2 + i } })),
    ]);
    await until('the good key', () => good === 100);
    await first.close();
    const consumer = await db.selectFrom('bus_consumers').select(['pos_seq']).where('consumer', '=', 'c').executeTakeFirstOrThrow();
    const pending = await db.selectFrom('bus_pending').select('seq').where('consumer', '=', 'c').orderBy('seq').execute();
    const logSeqs = await db.selectFrom('bus_log').select('seq').orderBy('seq').execute();
    assert.equal(consumer.pos_seq, logSeqs[logSeqs.length - 1]!.seq, 'the position passed the failing key');
    assert.deepEqual(
      pending.map((p) => p.seq),
      logSeqs.slice(0, 2).map((r) => r.seq),
      'the failing key’s two messages are pending',
    );

    const second = await createEmbeddedBus({ database, ...fast });
    const got: DeliveredMessage<Payload>[] = [];
    await second.subscribe<Payload>({ topic, consumer: 'c', handler: async (m) => void got.push(m) });
    await until('the pending messages', () => got.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      got.map((m) => [m.key, m.payload.n]),
      [
        ['bad', 0],
        ['bad', 1],
      ],
    );
    await second.close();
    assert.deepEqual(await db.selectFrom('bus_pending').select('seq').execute(), [], 'acknowledged pending rows are deleted');
  });

  it('prunes what every consumer acknowledged, keeps what one still needs, expires unconsumed topics by age', async () => {
    const database = await ctx.open();
    const db = database.db as Kysely<BusTables>;
    const bus = await createEmbeddedBus({ database, ...fast });
    let fastDone = 0;
    await bus.subscribe({ topic, consumer: 'fast', handler: async () => void fastDone++ });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = await bus.subscribe({ topic, consumer: 'slow', handler: () => gate });
    await bus.publish(Array.from({ length: 10 }, (_, n) => ({ topic, key: `k${n}`, payload: { n } })));
    await bus.publish([{ topic: { name: 'Nobody' }, key: 'k', payload: {} }]);
    await until('the fast consumer', () => fastDone === 10);
    await until('its position to be stored', async () => {
      const r = await db.selectFrom('bus_consumers').select('pos_seq').where('consumer', '=', 'fast').executeTakeFirstOrThrow();
      return r.pos_seq > 0;
    });
    assert.equal(await pruneBusLog(database, { expireUnconsumed: false, retentionMs: 0 }), 0, 'the slow consumer still needs all');
    await db.deleteFrom('bus_consumers').where('consumer', '=', 'slow').execute();
    assert.equal(await pruneBusLog(database, { expireUnconsumed: false, retentionMs: 0 }), 10);
    assert.equal(await pruneBusLog(database, { expireUnconsumed: true, retentionMs: 3_600_000 }), 0, 'young enough');
    assert.equal(await pruneBusLog(database, { expireUnconsumed: true, retentionMs: -1 }), 1, 'the unconsumed topic expired');
    assert.deepEqual(await db.selectFrom('bus_log').select('seq').execute(), []);
    release();
    await slow.stop();
    await bus.close();
  });

  it('writes straight into the log when the producer shares the bus database', async () => {
    const database = await ctx.open();
    const db = database.db as Kysely<BusTables>;
    const bus = await createEmbeddedBus({ database, ...fast });
    const outbox = await bus.outbox(database, 'same-db');
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await outbox.add(trx, [{ topic, key: 'k', payload: { n: -1 } }]);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await db.transaction().execute(async (trx) => {
      await outbox.add(trx, [
        { topic, key: 'k', payload: { n: 1 } },
        { topic, key: 'k', payload: { n: 2 } },
      ]);
    });
    const rows = await db.selectFrom('bus_log').select('payload').orderBy('seq').execute();
    assert.deepEqual(
      rows.map((r) => r.payload),
      ['{"n":1}', '{"n":2}'],
      'in the log at commit, before any flush',
    );
    await assert.rejects(
      db.transaction().execute((trx) => outbox.add(trx, [{ topic: { name: 'Typing', ephemeral: { maxAgeMs: 1000 } }, key: 'k', payload: 1 }])),
      /ephemeral/,
    );
    await bus.close();
  });

  it('shares one read among consumers reading after the same position, never one older than the caller', async () => {
    const database = await ctx.open();
    const bus = await createEmbeddedBus({ database, ...fast }); // migrates the tables
    await bus.close();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => sqlConsumerStore(database, topic.name, name));
    const start = (await a!.open()).position;
    await b!.open();
    await c!.open();
    const row = (n: number) => toMessageRows([{ topic, key: 'k', payload: { n } }]);
    await insertLogRows(database.db as Kysely<BusTables>, database.caps, row(1));
    // Issued in one turn (as a publish wakes them): one read, each caller its own objects and limit.
    const [ra, rb, rc] = await Promise.all([a!.fetch(start, 10), b!.fetch(start, 10), c!.fetch(start, 1)]);
    assert.deepEqual(ra.messages.map((m) => m.payload), [{ n: 1 }]);
    assert.deepEqual(rb.messages.map((m) => m.payload), [{ n: 1 }]);
    assert.deepEqual(rc.messages.map((m) => m.payload), [{ n: 1 }]);
    assert.notEqual(ra.messages[0]!.payload, rb.messages[0]!.payload, 'no payload object is shared between consumers');
    // A read asked for after a commit sees it, even while another consumer's read is under way.
    const early = a!.fetch(start, 10);
    await insertLogRows(database.db as Kysely<BusTables>, database.caps, row(2));
    const late = await b!.fetch(start, 10);
    assert.deepEqual(late.messages.map((m) => m.payload), [{ n: 1 }, { n: 2 }]);
    assert.ok((await early).messages.length >= 1);
    // Different limits in one turn: each gets at most its own.
    await insertLogRows(database.db as Kysely<BusTables>, database.caps, row(3));
    const [small, big] = await Promise.all([a!.fetch(start, 2), b!.fetch(start, 3)]);
    assert.deepEqual(small.messages.map((m) => m.payload), [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(big.messages.map((m) => m.payload), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('relays an outbox row again with the same id after a crash between relay and delete', async () => {
    const busDb = await ctx.open();
    const producerDb = await ctx.open();
    const bus = await createEmbeddedBus({ database: busDb, ...fast });
    const got: DeliveredMessage<Payload>[] = [];
    await bus.subscribe<Payload>({ topic, consumer: 'dedupe', handler: async (m) => void got.push(m) });
    const outbox = await bus.outbox(producerDb, 'relay');
    await producerDb.db.transaction().execute((trx) => outbox.add(trx, [{ topic, key: 'k', payload: { n: 7 } }]));
    // The crash window: the row reached the log but was not deleted from the outbox.
    const [row] = await readOutboxRows(producerDb, 'relay', 10);
    assert.ok(row);
    await insertLogRows(busDb.db as Kysely<BusTables>, busDb.caps, [
      { topic: row.topic, msg_key: row.msg_key, msg_id: row.msg_id, payload: row.payload, created_at: row.created_at },
    ]);
    await bus.outbox(producerDb, 'relay'); // the restarted producer relays it again
    await until('both copies', () => got.length >= 2);
    assert.equal(got[0]!.id, got[1]!.id, 'consumers can drop the duplicate by id');
    assert.deepEqual(await readOutboxRows(producerDb, 'relay', 10), []);
    await bus.close();
  });

  it('never skips a row whose transaction started earlier but commits later', { skip: ctx.engine === 'sqlite' && 'SQLite has one writer at a time' }, async () => {
    const database = await ctx.open();
    const bus = await createEmbeddedBus({ database, ...fast });
    const got: number[] = [];
    await bus.subscribe<Payload>({ topic, consumer: 'horizon', handler: async (m) => void got.push(m.payload.n) });
    // A second connection opens a transaction, takes its transaction ID and a log row, and waits.
    const slow = new pg.Client({ connectionString: database.connectionString });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      const [early] = toMessageRows([{ topic, key: 'early', payload: { n: 1 } }]);
      await slow.query('INSERT INTO bus_log (topic, msg_key, msg_id, payload, created_at) VALUES ($1, $2, $3, $4, $5)', [
        early!.topic,
        early!.msg_key,
        early!.msg_id,
        early!.payload,
        early!.created_at,
      ]);
      await bus.publish([{ topic, key: 'late', payload: { n: 2 } }]);
      await new Promise((r) => setTimeout(r, 150));
      assert.deepEqual(got, [], 'nothing is read past a transaction that may still commit before it');
      await slow.query('COMMIT');
      await until('both', () => got.length >= 2);
      assert.deepEqual(got, [1, 2]);
      const store = sqlConsumerStore(database, topic.name, 'horizon');
      assert.equal((await store.fetch({ xid: 0, seq: 0 }, 10)).messages.length, 2);
    } finally {
      await slow.end();
      await bus.close();
    }
  });

  it('reports a failing database in problems() and still closes', async () => {
    const database = await openDatabase(await ctx.freshConnectionString());
    const bus = await createEmbeddedBus({ database, ...fast });
    let handled = 0;
    await bus.subscribe({ topic, consumer: 'p', handler: async () => void handled++ });
    await bus.publish([{ topic, key: 'k', payload: 1 }]);
    await until('the message', () => handled === 1);
    assert.deepEqual(bus.problems(), []);
    await database.close();
    await until('a problem', () => bus.problems().length > 0);
    assert.match(bus.problems().join('\n'), /bus (consumer p of Stored|poll failed)/);
    await bus.close();
  });

  it('stores consumer state across open(): position and pending set', async () => {
    const database = await ctx.open();
    await createEmbeddedBus({ database, ...fast }).then((b) => b.close()); // migrates
    await insertLogRows(database.db as Kysely<BusTables>, database.caps, toMessageRows([1, 2, 3].map((n) => ({ topic, key: 'k', payload: { n } }))));
    const store = sqlConsumerStore(database, topic.name, 'state');
    const fresh = await store.open();
    assert.deepEqual(fresh, { position: { xid: 0, seq: 0 }, pending: [] });
    const { messages } = await store.fetch(fresh.position, 10);
    assert.deepEqual(
      messages.map((m) => m.payload),
      [{ n: 1 }, { n: 2 }, { n: 3 }],
    );
    const [m1, m2, m3] = messages;
    await store.save({ xid: m3!.xid, seq: m3!.seq }, [m1!.seq, m2!.seq], []);
    await store.save({ xid: m3!.xid, seq: m3!.seq }, [], [m1!.seq]);
    const reopened = await sqlConsumerStore(database, topic.name, 'state').open();
    assert.deepEqual(reopened.position, { xid: m3!.xid, seq: m3!.seq });
    assert.deepEqual(
      reopened.pending.map((m) => m.payload),
      [{ n: 2 }],
    );
    assert.equal((await store.fetch(reopened.position, 10)).messages.length, 0);
  });
});
