/**
 * What every table function of the roomserver receives: the query builder (the database, or the
 * transaction of the unit of work in progress), the engine's flags, and the caches of rows.
 */
import type { Kysely, Transaction } from 'kysely';
import type { QueryTarget, SqliteStatementSource } from '../../internal/sqlutil/prepared-query.js';
import type { StorageCapabilities } from '../../internal/sqlutil/storage-capabilities.js';
import { boundedCache, type BoundedCache } from '../../internal/util/bounded-cache.js';
import type { EventRef } from './events-table.js';
import type { RoomHeadRow } from './rooms-table.js';
import type { RoomserverTables } from './roomserver-tables.js';
import type { StateEntry } from './state-entry.js';
import type { Snapshot } from './state-snapshots-table.js';

/** The two string ↔ NID dictionaries: event types and state keys (user IDs among them). */
export type NidKind = 'type' | 'stateKey';

/**
 * Caches of rows: both directions of both dictionaries, event NID → event ID and event ID → ref,
 * decoded state blocks and snapshot rows (immutable once written), and rooms' heads (replaced after
 * each commit that moves one; see `rooms-table.ts`). Only committed rows enter them: SQLite hands a
 * rolled-back NID out again.
 */
export interface NidCaches {
  readonly byValue: Record<NidKind, BoundedCache<string, number>>;
  readonly byNid: Record<NidKind, BoundedCache<number, string>>;
  readonly eventIds: BoundedCache<number, string>;
  readonly eventRefs: BoundedCache<string, EventRef>;
  readonly blocks: BoundedCache<number, readonly StateEntry[]>;
  readonly snapshots: BoundedCache<number, Snapshot>;
  readonly rooms: BoundedCache<string, RoomHeadRow>;
}

export interface StorageContext {
  readonly db: Kysely<RoomserverTables>;
  readonly caps: StorageCapabilities;
  readonly caches: NidCaches;
  /**
   * The SQLite handle: set on the root context when the engine is SQLite, passed on to
   * prepared queries only inside a transaction (see {@link queryTarget}).
   */
  readonly sqliteHandle?: SqliteStatementSource;
  /** Whether this context is a transaction's (it then holds the connection). */
  readonly inTransaction?: boolean;
  /**
   * Records a NID seen in the database. Outside a transaction it goes straight to the caches;
   * inside one it waits for the commit, because a rolled-back NID must never be cached.
   */
  learn(kind: NidKind, value: string, nid: number): void;
  /**
   * Runs `effect` (a cache update) once what this context wrote is committed: at once outside a
   * transaction, after the commit inside one, never after a rollback.
   */
  afterCommit(effect: () => void): void;
}

/**
 * Fresh caches: `capacity` entries per dictionary and direction and event IDs, `blockCapacity`
 * blocks and snapshots, `roomCapacity` room heads.
 */
export function createNidCaches(capacity: number, blockCapacity: number, roomCapacity = 10_000): NidCaches {
  return {
    byValue: { type: boundedCache(capacity), stateKey: boundedCache(capacity) },
    byNid: { type: boundedCache(capacity), stateKey: boundedCache(capacity) },
    eventIds: boundedCache(capacity),
    eventRefs: boundedCache(capacity),
    blocks: boundedCache(blockCapacity),
    snapshots: boundedCache(blockCapacity),
    rooms: boundedCache(roomCapacity),
  };
}

/** Stores a committed NID in both directions. */
export function cacheNid(caches: NidCaches, kind: NidKind, value: string, nid: number): void {
  caches.byValue[kind].set(value, nid);
  caches.byNid[kind].set(nid, value);
}

/** The context outside any transaction. */
export function rootContext(
  db: Kysely<RoomserverTables>,
  caps: StorageCapabilities,
  caches: NidCaches,
  sqliteHandle?: SqliteStatementSource,
): StorageContext {
  return { db, caps, caches, sqliteHandle, learn: (kind, value, nid) => cacheNid(caches, kind, value, nid), afterCommit: (effect) => effect() };
}

/**
 * Where a prepared query of this context runs: on the SQLite handle inside a transaction; outside
 * one, on the handle only while no transaction is open on it (`prepared-query.ts`).
 */
export function queryTarget(ctx: StorageContext): QueryTarget {
  if (!ctx.sqliteHandle) return ctx;
  return ctx.inTransaction === true ? { db: ctx.db, caps: ctx.caps, sqlite: ctx.sqliteHandle } : { db: ctx.db, caps: ctx.caps, sqliteAutocommit: ctx.sqliteHandle };
}

/**
 * Runs `body` in one transaction with a context whose learned NIDs and other cache updates reach
 * the caches only once the transaction has committed.
 */
export async function inTransaction<T>(
  ctx: StorageContext,
  body: (tx: StorageContext, trx: Transaction<RoomserverTables>) => Promise<T>,
): Promise<T> {
  const pending: Array<() => void> = [];
  const afterCommit = (effect: () => void) => void pending.push(effect);
  // Blocks and snapshots written here are read back within the transaction (the state after an
  // event, the head's diff) but reach the shared caches only on commit: SQLite hands a rolled-back
  // AUTOINCREMENT NID out again.
  const caches: NidCaches = { ...ctx.caches, blocks: overlay(ctx.caches.blocks, afterCommit), snapshots: overlay(ctx.caches.snapshots, afterCommit) };
  const result = await ctx.db.transaction().execute((trx) =>
    body({ db: trx, caps: ctx.caps, caches, sqliteHandle: ctx.sqliteHandle, inTransaction: true, learn: (kind, value, nid) => afterCommit(() => cacheNid(ctx.caches, kind, value, nid)), afterCommit }, trx),
  );
  for (const effect of pending) effect();
  return result;
}

/** A transaction's view of `shared`: its own entries first, published to `shared` on commit. */
function overlay<K, V>(shared: BoundedCache<K, V>, afterCommit: (effect: () => void) => void): BoundedCache<K, V> {
  const local = new Map<K, V>();
  return {
    get: (key) => local.get(key) ?? shared.get(key),
    set(key, value) {
      local.set(key, value);
      afterCommit(() => shared.set(key, value));
    },
    delete(key) {
      local.delete(key);
      shared.delete(key);
    },
    clear() {
      local.clear();
      shared.clear();
    },
    get size() {
      return shared.size;
    },
  };
}
