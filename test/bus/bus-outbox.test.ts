/**
 * Conformance: the transactional outbox, on every bus backend, with the producer's state in its
 * own database (a fresh one per test, on the engine that suits the backend).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { DeliveredMessage } from '../../src/internal/bus/bus.js';
import type { Database } from '../../src/internal/sqlutil/database.js';
import { openDatabase } from '../../src/internal/sqlutil/open-database.js';
import { byKey, sleep, testTopic, waitFor, type TestPayload } from './bus-test-kit.js';
import { describeEachBus } from './describe-each-bus.js';
import { runFixture } from './run-fixture.js';

interface StateTables {
  test_producer_state: { id: number; note: string };
}

async function producerDatabase(conn: string): Promise<Database> {
  const database = await openDatabase(conn);
  await sql`CREATE TABLE IF NOT EXISTS test_producer_state (id INTEGER PRIMARY KEY, note TEXT NOT NULL)`.execute(database.db);
  return database;
}

describeEachBus('bus outbox', (ctx) => {
  it('publishes what committed transactions added once flushed, and nothing of a rolled-back one', async () => {
    const ns = await ctx.namespace();
    const database = await producerDatabase(await ns.freshProducerDatabase());
    const db = database.db as Kysely<StateTables>;
    try {
      const bus = await ns.open();
      const topic = testTopic('Outbox');
      const got: DeliveredMessage<TestPayload>[] = [];
      await bus.subscribe<TestPayload>({ topic, consumer: 'o', handler: async (m) => void got.push(m) });
      const outbox = await bus.outbox(database, 'producer-a');
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('test_producer_state').values({ id: 1, note: 'kept' }).execute();
        await outbox.add(trx, [0, 1, 2, 3, 4, 5].map((n) => ({ topic, key: `k${n % 2}`, payload: { key: `k${n % 2}`, n } })));
      });
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('test_producer_state').values({ id: 2, note: 'rolled back' }).execute();
          await outbox.add(trx, [{ topic, key: 'k0', payload: { key: 'k0', n: 100 } }]);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      await db.transaction().execute(async (trx) => {
        await outbox.add(trx, [{ topic, key: 'k0', payload: { key: 'k0', n: 6 } }]);
      });
      await outbox.flush();
      await waitFor('7 committed messages', () => got.length >= 7);
      await sleep(200); // room for the rolled-back message to show up if it wrongly went out
      assert.deepEqual(byKey(got), new Map([['k0', [0, 2, 4, 6]], ['k1', [1, 3, 5]]]));
      assert.deepEqual(await db.selectFrom('test_producer_state').select(['id', 'note']).execute(), [{ id: 1, note: 'kept' }]);
    } finally {
      await database.close();
    }
  });

  it('loses nothing when the producer dies right after its commit: the outbox is relayed at start-up', async () => {
    const ns = await ctx.namespace();
    const conn = await ns.freshProducerDatabase();
    const topic = testTopic('ProducerCrash');
    const child = runFixture('produce-then-die.ts', [ctx.backend.name, ns.handle, conn, topic.name, '40']);
    const end = await child.exited;
    assert.equal(end.signal, 'SIGKILL', `the producer should have killed itself after its commit:\n${child.output()}`);

    const database = await producerDatabase(conn);
    try {
      const state = await (database.db as Kysely<StateTables>).selectFrom('test_producer_state').selectAll().execute();
      assert.deepEqual(state, [{ id: 1, note: 'committed' }], 'the state change committed');
      const bus = await ns.open();
      const got: DeliveredMessage<TestPayload>[] = [];
      await bus.subscribe<TestPayload>({ topic, consumer: 'after-crash', handler: async (m) => void got.push(m) });
      await bus.outbox(database, 'crash-producer'); // start-up of the restarted producer
      await waitFor('the 40 messages committed before the crash', () => new Set(got.map((m) => m.payload.n)).size >= 40);
      const expected = new Map<string, number[]>();
      for (let n = 0; n < 40; n++) expected.set(`k${n % 5}`, [...(expected.get(`k${n % 5}`) ?? []), n]);
      assert.deepEqual(byKey(got), expected);
    } finally {
      await database.close();
    }
  });
});
