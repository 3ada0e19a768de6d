/**
 * Where the syncapi's table functions run: the query builder (the database, or the transaction
 * in progress) with the engine's flags, and on SQLite the handle prepared queries use inside a
 * transaction (see `prepared-query.ts`).
 */
import type { Kysely } from 'kysely';
import type { QueryTarget } from '../../internal/sqlutil/prepared-query.js';
import type { StorageCapabilities } from '../../internal/sqlutil/storage-capabilities.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** The syncapi's typed {@link QueryTarget}. */
export interface SyncDb extends QueryTarget {
  readonly db: Kysely<SyncapiTables>;
}

/** Rows per statement when each binds `paramsPerRow` values (at most 1,000). */
export function chunkSize(caps: StorageCapabilities, paramsPerRow = 1): number {
  return Math.max(1, Math.min(1000, Math.floor((caps.maxBindParams - 8) / paramsPerRow)));
}

/** `items` in consecutive slices of at most `size`. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Compound selects (`UNION ALL` of one small indexed query per room) per statement: SQLite's
 * default limit on compound terms is 500; 100 keeps statements short on both engines.
 */
export const ROOMS_PER_UNION = 100;
