/**
 * Hot-path queries built and compiled once per engine instead of on every call. Building a
 * Kysely query and compiling it costs several times what SQLite takes to run it (about 45 µs
 * against 9 µs for a one-row insert on this machine), and a message send runs half a dozen such
 * statements. The query is still written once with the builder, for both engines: it is
 * compiled with placeholder values standing for the named parameters, and each call binds the
 * actual values in their places.
 *
 * On SQLite, a call made while its flow holds the connection (inside a transaction, where
 * Kysely's connection lock keeps every other flow out) runs the prepared statement on the
 * handle directly, skipping Kysely's executor as well. So does a call made outside any
 * transaction when the target offers the handle for it and no transaction is open on the
 * connection at that instant: better-sqlite3 runs the statement synchronously, as its own
 * transaction, exactly what Kysely would run after its connection lock and promise hops. While
 * another flow's transaction is open, the call goes through Kysely and waits for it as before
 * (run directly, it would read that transaction's uncommitted writes or write into it).
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { SqlEngine, StorageCapabilities } from './storage-capabilities.js';

/** The subset of a better-sqlite3 handle a prepared query runs on. */
export interface SqliteStatementSource {
  prepare(source: string): SqliteStatement;
  /** Whether a transaction is open on the connection (better-sqlite3's `inTransaction`). */
  readonly inTransaction: boolean;
}
interface SqliteStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}

/** Where a prepared query runs: the builder (database or transaction) and the engine flags. */
export interface QueryTarget {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any component's typed Kysely
  readonly db: Kysely<any>;
  readonly caps: StorageCapabilities;
  /**
   * The SQLite handle, present only while this flow holds the connection (inside a
   * transaction); absent otherwise, and always on PostgreSQL.
   */
  readonly sqlite?: SqliteStatementSource;
  /**
   * The SQLite handle of a target outside any transaction: used for a call only when no
   * transaction is open on the connection at that instant (see the file comment).
   */
  readonly sqliteAutocommit?: SqliteStatementSource;
}

/** A compiled query: rows (for reads and `returning`), or the number of rows changed. */
export interface PreparedQuery<P, Row> {
  all(target: QueryTarget, params: P): Promise<Row[]>;
  first(target: QueryTarget, params: P): Promise<Row | undefined>;
  /** Runs a write without `returning`; the number of rows it changed. */
  run(target: QueryTarget, params: P): Promise<number>;
}

interface Compiled {
  readonly sql: string;
  /** Per bound position: the parameter's name, or a constant the query itself contains. */
  readonly slots: ReadonlyArray<{ readonly name: string } | { readonly constant: unknown }>;
}

const MARK = '\u0000axon-param:';

/**
 * Prepares the query `build` makes. `build` receives placeholders typed as the parameters and
 * must use each where a value goes (`.where('room_id', '=', p.roomId)`); it must not branch on
 * them, since it runs once per engine (it may branch on the engine's flags, which it is given).
 */
export function preparedQuery<DB, P extends object, Row>(
  build: (db: Kysely<DB>, p: P, caps: StorageCapabilities) => Compilable<Row>,
): PreparedQuery<P, Row> {
  const compiled = new Map<SqlEngine, Compiled>();
  const placeholders = new Proxy({} as P, { get: (_t, name) => `${MARK}${String(name)}` });

  const compile = (target: QueryTarget): Compiled => {
    let c = compiled.get(target.caps.engine);
    if (!c) {
      const q = build(target.db as Kysely<DB>, placeholders, target.caps).compile();
      const slots = q.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? { name: v.slice(MARK.length) } : { constant: v }));
      c = { sql: q.sql, slots };
      compiled.set(target.caps.engine, c);
    }
    return c;
  };
  const bind = (c: Compiled, params: P): unknown[] =>
    c.slots.map((s) => {
      if (!('name' in s)) return s.constant;
      const v = (params as Record<string, unknown>)[s.name];
      if (v === undefined) throw new Error(`prepared query: no value for parameter ${s.name}`);
      return v;
    });
  const execute = async (target: QueryTarget, params: P): Promise<{ rows: Row[]; changed: number }> => {
    const c = compile(target);
    const values = bind(c, params);
    const handle = target.sqlite ?? (target.sqliteAutocommit?.inTransaction === false ? target.sqliteAutocommit : undefined);
    if (handle) {
      const stmt = handle.prepare(c.sql);
      if (stmt.reader) return { rows: stmt.all(...values) as Row[], changed: 0 };
      return { rows: [], changed: stmt.run(...values).changes };
    }
    const r = await target.db.executeQuery<Row>(CompiledQuery.raw(c.sql, values));
    return { rows: r.rows as Row[], changed: Number(r.numAffectedRows ?? 0n) };
  };
  return {
    all: async (target, params) => (await execute(target, params)).rows,
    first: async (target, params) => (await execute(target, params)).rows[0],
    run: async (target, params) => (await execute(target, params)).changed,
  };
}
