/**
 * Where the syncapi's table functions run: the query builder (the database, or the transaction
 * in progress) with the engine's flags, and on SQLite the handle prepared queries use inside a
 * transaction (see `prepared-query.ts`).
 */
import type { Kysely } from 'kysely';
import type { QueryTarget } from '../../internal/sqlutil/prepared-query.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** The syncapi's typed {@link QueryTarget}. */
export interface SyncDb extends QueryTarget {
  readonly db: Kysely<SyncapiTables>;
}

// Bind-parameter chunking is the shared one; re-exported for the syncapi's tables.
export { chunkSize, inChunks } from '../../internal/sqlutil/in-chunks.js';

/**
 * Compound selects (`UNION ALL` of one small indexed query per room) per statement: SQLite's
 * default limit on compound terms is 500; 100 keeps statements short on both engines.
 */
export const ROOMS_PER_UNION = 100;
