/**
 * Queries on the two queue tables, `federationapi_queue_pdus` and `federationapi_queue_edus`.
 * They have the same columns, so each query is written once for both.
 */
import type { Kysely } from 'kysely';
import type { QueueTables } from './queue-tables.js';

/** Either queue table. */
export type QueueTable = 'federationapi_queue_pdus' | 'federationapi_queue_edus';

/** A queued row: its ID (for deletion) and its JSON text. */
export interface QueueRow {
  readonly id: number;
  readonly json: string;
}

/**
 * Both tables have the same columns; Kysely cannot type a query over a union of table names,
 * so queries are typed against one of them.
 */
function table(t: QueueTable): 'federationapi_queue_pdus' {
  return t as 'federationapi_queue_pdus';
}

/** Appends rows, in the order given (IDs increase with it). */
export async function insertQueueRows(
  db: Kysely<QueueTables>,
  t: QueueTable,
  rows: ReadonlyArray<{ destination: string; json: string }>,
  chunkRows: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkRows) {
    await db.insertInto(table(t)).values(rows.slice(i, i + chunkRows)).execute();
  }
}

/** The oldest `limit` rows of a destination, oldest first. */
export async function selectOldestRows(db: Kysely<QueueTables>, t: QueueTable, destination: string, limit: number): Promise<QueueRow[]> {
  if (limit <= 0) return [];
  return db
    .selectFrom(table(t))
    .select(['id', 'json'])
    .where('destination', '=', destination)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Deletes a destination's rows by ID (the destination guards against a foreign handle). */
export async function deleteRows(db: Kysely<QueueTables>, t: QueueTable, destination: string, ids: readonly number[], chunkRows: number): Promise<void> {
  for (let i = 0; i < ids.length; i += chunkRows) {
    await db
      .deleteFrom(table(t))
      .where('destination', '=', destination)
      .where('id', 'in', ids.slice(i, i + chunkRows))
      .execute();
  }
}

/** Deletes everything queued for a destination. */
export async function deleteDestinationRows(db: Kysely<QueueTables>, t: QueueTable, destination: string): Promise<void> {
  await db.deleteFrom(table(t)).where('destination', '=', destination).execute();
}

/** The destinations with at least one row. */
export async function selectQueuedDestinations(db: Kysely<QueueTables>, t: QueueTable): Promise<string[]> {
  const rows = await db.selectFrom(table(t)).select('destination').distinct().execute();
  return rows.map((r) => r.destination);
}
