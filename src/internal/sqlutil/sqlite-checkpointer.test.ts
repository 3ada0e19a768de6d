import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './open-database.js';

describe('SQLite checkpoints in a worker thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'axon-ckpt-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the log into the database file although the connection never checkpoints itself', async () => {
    const path = join(dir, 'a.db');
    const database = await openDatabase(`sqlite:${path}`);
    const { db } = database;
    const auto = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db);
    assert.equal(auto.rows[0]?.wal_autocheckpoint, 0);
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`.execute(db);
    const before = statSync(path).size;
    for (let i = 0; i < 200; i++) await sql`INSERT INTO t (v) VALUES (${'x'.repeat(4000)})`.execute(db);
    // 200 rows of 4 kB: about 800 kB of pages, all in the log until a checkpoint copies them.
    const deadline = Date.now() + 5000;
    while (statSync(path).size < before + 700_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(statSync(path).size >= before + 700_000, `database file still ${statSync(path).size} bytes`);
    await database.close();
  });

  it('closes cleanly and leaves every committed row readable', async () => {
    const path = join(dir, 'b.db');
    const first = await openDatabase(`sqlite:${path}`);
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY)`.execute(first.db);
    for (let i = 0; i < 50; i++) await sql`INSERT INTO t DEFAULT VALUES`.execute(first.db);
    await first.close();
    const again = await openDatabase(`sqlite:${path}`);
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(again.db);
    assert.equal(r.rows[0]?.n, 50);
    await again.close();
  });
});
