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
    for (let i = 0; i < 1300; i++) await sql`INSERT INTO t (v) VALUES (${'x'.repeat(4000)})`.execute(db);
    // 1,300 rows of 4 kB: about 5.2 MB of pages, all in the log until a checkpoint copies them;
    // past 4 MiB of log the worker starts.
    const deadline = Date.now() + 5000;
    while (statSync(path).size < before + 5_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(statSync(path).size >= before + 5_000_000, `database file still ${statSync(path).size} bytes`);
    await database.close();
  });

  it('starts no worker while the log is small: the last close checkpoints it', async () => {
    const path = join(dir, 'c.db');
    const database = await openDatabase(`sqlite:${path}`);
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`.execute(database.db);
    const before = statSync(path).size;
    for (let i = 0; i < 50; i++) await sql`INSERT INTO t (v) VALUES (${'x'.repeat(4000)})`.execute(database.db);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(statSync(path).size, before, 'nothing checkpointed the log yet');
    await database.close();
    assert.ok(statSync(path).size >= before + 190_000, 'closing copied the log into the database');
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
