/**
 * Opens a connection string as a {@link Database}: better-sqlite3 (WAL, foreign keys, busy
 * timeout) or a pg pool whose BIGINTs come back as numbers (all our integers fit in 2^53).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { parseConnectionString } from './connection-string.js';
import { startSqliteCheckpointer } from './sqlite-checkpointer.js';
import type { Database } from './database.js';
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES } from './storage-capabilities.js';

export interface OpenDatabaseOptions {
  /** PostgreSQL pool size. */
  readonly maxConnections?: number;
}

let pgTypesSet = false;

export async function openDatabase(connectionString: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  const parsed = parseConnectionString(connectionString);
  if (parsed.engine === 'sqlite') {
    if (parsed.path !== ':memory:') mkdirSync(dirname(parsed.path), { recursive: true });
    const handle = new SqliteDriver(parsed.path);
    handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = ON');
    handle.pragma('busy_timeout = 10000');
    handle.pragma('cache_size = -16000');
    cachePreparedStatements(handle);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: handle }) });
    if (parsed.path === ':memory:') return closeOnce({ db, caps: SQLITE_CAPABILITIES, connectionString, sqlite: handle }, () => db.destroy());
    // Checkpoints move to a worker thread (see sqlite-checkpointer.ts); the log file is cut back
    // to 64 MiB whenever it starts over.
    handle.pragma('wal_autocheckpoint = 0');
    handle.pragma('journal_size_limit = 67108864');
    const checkpointer = startSqliteCheckpointer(parsed.path);
    return closeOnce({ db, caps: SQLITE_CAPABILITIES, connectionString, sqlite: handle }, async () => {
      await checkpointer.stop();
      await db.destroy();
    });
  }
  // Loaded only for PostgreSQL: a SQLite monolith never pays for the driver.
  const { default: pg } = await import('pg');
  if (!pgTypesSet) {
    // int8/BIGINT → number; numeric → number. Values are stream positions, timestamps, sizes.
    pg.types.setTypeParser(20, (v) => Number(v));
    pg.types.setTypeParser(1700, (v) => Number(v));
    pgTypesSet = true;
  }
  const pool = new pg.Pool({ connectionString: parsed.url, max: opts.maxConnections ?? 10 });
  // Fail fast with a clear error when the server is unreachable, instead of on the first query.
  const client = await pool.connect();
  client.release();
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  return closeOnce({ db, caps: POSTGRES_CAPABILITIES, connectionString }, () => db.destroy());
}

/**
 * Kysely's SQLite driver calls `prepare()` for every query; compiling the same SQL again costs
 * about as much as running it. Statements are cached by SQL text (bounded, least recently used
 * dropped first). Safe because Kysely runs one statement at a time on this single connection.
 *
 * A `LIMIT ?` is compiled as `LIMIT +?` (see {@link unplannedLimit}).
 */
function cachePreparedStatements(handle: SqliteDriver.Database, max = 1000): void {
  const prepare = handle.prepare.bind(handle);
  const cache = new Map<string, SqliteDriver.Statement>();
  handle.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = prepare(unplannedLimit(source));
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  }) as typeof handle.prepare;
}

/**
 * SQLite's planner reads the value bound to a bare `LIMIT ?` (to size its estimates), and a
 * statement planned from a bound value is compiled again whenever that parameter is bound anew —
 * on every run, since each run binds all its values. For the bus's log read that made each
 * execution three times slower (about 22 µs against 7 µs, most of it recompiling), and every
 * Kysely `.limit(n)` compiles to `limit ?`. Unary `+` leaves the value as it is (SQLite: "a
 * no-op") but hides it from the planner, so the statement is planned once. The pattern only
 * occurs where a LIMIT is written (Kysely's `.limit`, or `LIMIT ${n}` in a `sql` template): values are
 * always bound parameters, never SQL text.
 */
export function unplannedLimit(source: string): string {
  return source.replace(/\blimit \?/gi, 'limit +?');
}

function closeOnce(d: Omit<Database, 'close'>, close: () => Promise<void>): Database {
  let closing: Promise<void> | undefined;
  return { ...d, close: () => (closing ??= close()) };
}
