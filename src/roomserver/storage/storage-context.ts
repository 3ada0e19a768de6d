/**
 * What every table function of the roomserver receives: the query builder (the database, or the
 * transaction of the unit of work in progress), the engine's flags, and the string ↔ NID caches.
 */
import type { Kysely, Transaction } from 'kysely';
import type { StorageCapabilities } from '../../internal/sqlutil/storage-capabilities.js';
import { boundedCache, type BoundedCache } from './bounded-cache.js';
import type { RoomserverTables } from './roomserver-tables.js';
import type { StateEntry } from './state-entry.js';
import type { Snapshot } from './state-snapshots-table.js';

/** The two string ↔ NID dictionaries: event types and state keys (user IDs among them). */
export type NidKind = 'type' | 'stateKey';

/**
 * Caches of immutable rows: both directions of both dictionaries (only committed NIDs may enter
 * them), decoded state blocks and snapshot rows (a block never changes once written, and a rolled-back block's
 * NID is never handed out again, so caching one early is harmless).
 */
export interface NidCaches {
  readonly byValue: Record<NidKind, BoundedCache<string, number>>;
  readonly byNid: Record<NidKind, BoundedCache<number, string>>;
  readonly blocks: BoundedCache<number, readonly StateEntry[]>;
  readonly snapshots: BoundedCache<number, Snapshot>;
}

export interface StorageContext {
  readonly db: Kysely<RoomserverTables>;
  readonly caps: StorageCapabilities;
  readonly caches: NidCaches;
  /**
   * Records a NID seen in the database. Outside a transaction it goes straight to the caches;
   * inside one it waits for the commit, because a rolled-back NID must never be cached.
   */
  learn(kind: NidKind, value: string, nid: number): void;
}

/** Fresh caches of `capacity` entries per dictionary and direction, and `blockCapacity` blocks and snapshots. */
export function createNidCaches(capacity: number, blockCapacity: number): NidCaches {
  return {
    byValue: { type: boundedCache(capacity), stateKey: boundedCache(capacity) },
    byNid: { type: boundedCache(capacity), stateKey: boundedCache(capacity) },
    blocks: boundedCache(blockCapacity),
    snapshots: boundedCache(blockCapacity),
  };
}

/** Stores a committed NID in both directions. */
export function cacheNid(caches: NidCaches, kind: NidKind, value: string, nid: number): void {
  caches.byValue[kind].set(value, nid);
  caches.byNid[kind].set(nid, value);
}

/** The context outside any transaction. */
export function rootContext(db: Kysely<RoomserverTables>, caps: StorageCapabilities, caches: NidCaches): StorageContext {
  return { db, caps, caches, learn: (kind, value, nid) => cacheNid(caches, kind, value, nid) };
}

/**
 * Runs `body` in one transaction with a context whose learned NIDs reach the caches only
 * once the transaction has committed.
 */
export async function inTransaction<T>(
  ctx: StorageContext,
  body: (tx: StorageContext, trx: Transaction<RoomserverTables>) => Promise<T>,
): Promise<T> {
  const pending: Array<[NidKind, string, number]> = [];
  const result = await ctx.db.transaction().execute((trx) =>
    body({ db: trx, caps: ctx.caps, caches: ctx.caches, learn: (kind, value, nid) => void pending.push([kind, value, nid]) }, trx),
  );
  for (const [kind, value, nid] of pending) cacheNid(ctx.caches, kind, value, nid);
  return result;
}
