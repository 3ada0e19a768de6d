import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql, type Generated, type Kysely } from 'kysely';
import { MigrationError, runMigrations, type Migration } from '../../src/internal/sqlutil/run-migrations.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

const createWidgets: Migration = {
  version: 1,
  name: 'create widgets',
  async up(db, caps) {
    await sql`CREATE TABLE test_widgets (id ${sql.raw(caps.autoIncrementPk)}, name TEXT NOT NULL UNIQUE)`.execute(db);
  },
};
const addColour: Migration = {
  version: 2,
  name: 'add colour',
  async up(db) {
    await sql`ALTER TABLE test_widgets ADD COLUMN colour TEXT NOT NULL DEFAULT 'red'`.execute(db);
  },
};
const broken: Migration = {
  version: 3,
  name: 'half applied then fails',
  async up(db) {
    await sql`CREATE TABLE test_gadgets (id INTEGER)`.execute(db);
    await sql`INSERT INTO test_widgets (name) VALUES ('inside-failed-migration')`.execute(db);
    await sql`SELECT * FROM no_such_table`.execute(db);
  },
};

interface Tables {
  test_widgets: { id: Generated<number>; name: string; colour: Generated<string> };
  axon_migrations: { component: string; version: number; name: string };
}

describeEachBackend('migration runner', (ctx) => {
  it('applies pending migrations once and records them', async () => {
    const d = await ctx.open();
    assert.deepEqual(await runMigrations(d, 'test', [createWidgets, addColour]), [1, 2]);
    assert.deepEqual(await runMigrations(d, 'test', [createWidgets, addColour]), []);
    const db = d.db as Kysely<Tables>;
    await db.insertInto('test_widgets').values({ name: 'a' }).execute();
    const row = await db.selectFrom('test_widgets').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.colour, 'red');
    const recorded = await db.selectFrom('axon_migrations').select(['component', 'version', 'name']).orderBy('version').execute();
    assert.deepEqual(recorded, [
      { component: 'test', version: 1, name: 'create widgets' },
      { component: 'test', version: 2, name: 'add colour' },
    ]);
  });

  it('applies only the new migration on an upgrade', async () => {
    const d = await ctx.open();
    assert.deepEqual(await runMigrations(d, 'test', [createWidgets]), [1]);
    assert.deepEqual(await runMigrations(d, 'test', [createWidgets, addColour]), [2]);
  });

  it('keeps components apart in one database', async () => {
    const d = await ctx.open();
    await runMigrations(d, 'one', [createWidgets]);
    const other: Migration = { version: 1, name: 'other', up: async (db) => void (await sql`CREATE TABLE test_other (x INTEGER)`.execute(db)) };
    assert.deepEqual(await runMigrations(d, 'two', [other]), [1]);
  });

  it('rolls back a failing migration completely and stops with a clear error', async () => {
    const d = await ctx.open();
    await runMigrations(d, 'test', [createWidgets, addColour]);
    await assert.rejects(runMigrations(d, 'test', [createWidgets, addColour, broken]), (e: unknown) => {
      assert.ok(e instanceof MigrationError);
      assert.match(e.message, /test: migration 3 \(half applied then fails\) failed/);
      return true;
    });
    const db = d.db as Kysely<Tables>;
    const names = await db.selectFrom('test_widgets').select('name').execute();
    assert.deepEqual(names, [], 'the insert inside the failed migration was rolled back');
    await assert.rejects(sql`SELECT * FROM test_gadgets`.execute(db), 'the table created by the failed migration is gone');
    const versions = await db.selectFrom('axon_migrations').select('version').where('component', '=', 'test').execute();
    assert.deepEqual(versions.map((v) => v.version).sort(), [1, 2]);
  });

  it('refuses a database migrated by a newer server', async () => {
    const d = await ctx.open();
    await runMigrations(d, 'test', [createWidgets, addColour]);
    await assert.rejects(runMigrations(d, 'test', [createWidgets]), /migration\(s\) 2 this server does not know/);
  });

  it('rejects a list that is not numbered in order', async () => {
    const d = await ctx.open();
    await assert.rejects(runMigrations(d, 'test', [addColour]), /numbered 1, 2, 3/);
  });
});
