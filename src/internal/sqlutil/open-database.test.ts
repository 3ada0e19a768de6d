/** SQLite statements as the handle compiles them: cached, and a bound LIMIT hidden from the planner. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openDatabase, unplannedLimit } from './open-database.js';

it('compiles a bound LIMIT as `+?`, in any case, leaving other SQL alone', () => {
  assert.equal(unplannedLimit('select "a" from "t" where "b" > ? order by "b" limit ?'), 'select "a" from "t" where "b" > ? order by "b" limit +?');
  assert.equal(unplannedLimit('SELECT a FROM t LIMIT ? OFFSET ?'), 'SELECT a FROM t limit +? OFFSET ?');
  assert.equal(unplannedLimit('select * from (select 1 limit ?) union all select 2 limit ?'), 'select * from (select 1 limit +?) union all select 2 limit +?');
  assert.equal(unplannedLimit('select "unlimited" from t where x = ?'), 'select "unlimited" from t where x = ?');
  assert.equal(unplannedLimit('select 1 limit 5'), 'select 1 limit 5');
});

it('runs Kysely limits and offsets with the values bound, on statements compiled once', async () => {
  const database = await openDatabase('sqlite::memory:');
  const db = database.db as Kysely<{ t: { n: number } }>;
  await sql`CREATE TABLE t (n INTEGER PRIMARY KEY)`.execute(db);
  await db.insertInto('t').values([1, 2, 3, 4, 5].map((n) => ({ n }))).execute();
  const page = (limit: number, offset: number) => db.selectFrom('t').select('n').orderBy('n').limit(limit).offset(offset).execute();
  assert.deepEqual(await page(2, 0), [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(await page(3, 1), [{ n: 2 }, { n: 3 }, { n: 4 }]);
  assert.deepEqual(await page(10, 4), [{ n: 5 }]);
  assert.deepEqual(await page(0, 0), []);
  const compiled = db.selectFrom('t').select('n').orderBy('n').limit(1).offset(0).compile().sql;
  const stmt = (database.sqlite as unknown as { prepare(s: string): { source: string } }).prepare(compiled);
  assert.equal(stmt.source, 'select "n" from "t" order by "n" limit +? offset ?');
  await database.close();
});
