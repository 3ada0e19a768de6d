/**
 * Prepared queries on both engines, and on SQLite the two direct paths: inside a transaction, and
 * outside one only while no other flow's transaction is open on the shared connection.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { describeEachBackend, type BackendContext } from '../../../test/harness/describe-each-backend.js';
import type { Database } from './database.js';
import { preparedQuery, type QueryTarget } from './prepared-query.js';

interface Tables {
  pq_items: { id: number; name: string };
}

const selectName = preparedQuery((db: Kysely<Tables>, p: { id: number }) => db.selectFrom('pq_items').select('name').where('id', '=', p.id));
const insertItem = preparedQuery((db: Kysely<Tables>, p: { id: number; name: string }) => db.insertInto('pq_items').values({ id: p.id, name: p.name }));

/** A fresh database with `pq_items`, and a target outside any transaction. */
async function itemsDatabase(ctx: BackendContext): Promise<{ database: Database; db: Kysely<Tables>; outside: QueryTarget }> {
  const database = await ctx.open();
  const db = database.db as Kysely<Tables>;
  await sql`CREATE TABLE pq_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`.execute(db);
  return { database, db, outside: { db, caps: database.caps, sqliteAutocommit: database.sqlite } };
}

/**
 * A transaction that inserts `row` and then stays open until `release` is called, ending with
 * `end` (commit, or throw to roll back). `written` resolves once the row is in.
 */
function heldTransaction(database: Database, db: Kysely<Tables>, row: { id: number; name: string }, end: () => void) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const written = new Promise<void>((r) => (inserted = r));
  const done = db.transaction().execute(async (trx) => {
    await insertItem.run({ db: trx, caps: database.caps, sqlite: database.sqlite }, row);
    inserted();
    await held;
    end();
  });
  return { written, release, done };
}

describeEachBackend('preparedQuery', (ctx) => {
  it('binds named parameters, reads rows and counts changed rows', async () => {
    const { outside: target } = await itemsDatabase(ctx);
    assert.equal(await insertItem.run(target, { id: 1, name: 'one' }), 1);
    assert.deepEqual(await selectName.all(target, { id: 1 }), [{ name: 'one' }]);
    assert.equal(await selectName.first(target, { id: 2 }), undefined);
    await assert.rejects(selectName.all(target, {} as { id: number }), /no value for parameter id/);
  });

  it('outside a transaction never reads another flow’s uncommitted write, and waits for its commit', async () => {
    const { database, db, outside } = await itemsDatabase(ctx);
    const { written, release, done: writer } = heldTransaction(database, db, { id: 7, name: 'seven' }, () => {});
    await written;
    try {
      // The writer's transaction is open on the (SQLite: only) connection: this read must not run inside it.
      const read = selectName.all(outside, { id: 7 });
      if (database.caps.engine === 'sqlite') {
        // However slow the machine, the read cannot finish while the transaction is open.
        const early = await Promise.race([read, new Promise((r) => setTimeout(() => r('waiting'), 50))]);
        assert.equal(early, 'waiting', 'the read waited for the open transaction');
        release();
        assert.deepEqual(await read, [{ name: 'seven' }]);
      } else {
        assert.deepEqual(await read, [], 'PostgreSQL reads the committed state');
      }
    } finally {
      release();
      await writer;
    }
    assert.deepEqual(await selectName.all(outside, { id: 7 }), [{ name: 'seven' }]);
  });

  it('outside a transaction writes through a rolled-back transaction’s connection only after it ended', async () => {
    const { database, db, outside } = await itemsDatabase(ctx);
    const { written, release, done: failing } = heldTransaction(database, db, { id: 1, name: 'rolled back' }, () => {
      throw new Error('roll back');
    });
    await written;
    const write = insertItem.run(outside, { id: 2, name: 'kept' });
    release();
    await assert.rejects(failing, /roll back/);
    assert.equal(await write, 1);
    const rows = await db.selectFrom('pq_items').select(['id', 'name']).orderBy('id').execute();
    assert.deepEqual(rows, [{ id: 2, name: 'kept' }], 'the outside write was not swept into the rolled-back transaction');
  });
});
