/**
 * Queries on `federationapi_destinations`: the health of destinations that have failed. Healthy
 * destinations have no row, so the table stays as small as the set of unreachable servers.
 */
import type { Kysely } from 'kysely';
import type { QueueDestinationsTable, QueueTables } from './queue-tables.js';

/** The row of one destination. */
export async function selectDestination(db: Kysely<QueueTables>, serverName: string): Promise<QueueDestinationsTable | undefined> {
  return db.selectFrom('federationapi_destinations').selectAll().where('server_name', '=', serverName).executeTakeFirst();
}

/** Inserts or replaces the row of a destination. */
export async function upsertDestination(db: Kysely<QueueTables>, row: QueueDestinationsTable): Promise<void> {
  await db
    .insertInto('federationapi_destinations')
    .values(row)
    .onConflict((oc) =>
      oc.column('server_name').doUpdateSet({
        failure_count: row.failure_count,
        failing_since: row.failing_since,
        retry_at: row.retry_at,
        blacklisted_at: row.blacklisted_at,
      }),
    )
    .execute();
}

/** Deletes the row of a destination (it is healthy again). */
export async function deleteDestination(db: Kysely<QueueTables>, serverName: string): Promise<void> {
  await db.deleteFrom('federationapi_destinations').where('server_name', '=', serverName).execute();
}

/** Which of `serverNames` are blacklisted. */
export async function selectBlacklistedAmong(db: Kysely<QueueTables>, serverNames: readonly string[], chunkRows: number): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < serverNames.length; i += chunkRows) {
    const rows = await db
      .selectFrom('federationapi_destinations')
      .select('server_name')
      .where('server_name', 'in', serverNames.slice(i, i + chunkRows))
      .where('blacklisted_at', 'is not', null)
      .execute();
    for (const r of rows) found.add(r.server_name);
  }
  return found;
}

/** Every blacklisted destination. */
export async function selectBlacklisted(db: Kysely<QueueTables>): Promise<string[]> {
  const rows = await db.selectFrom('federationapi_destinations').select('server_name').where('blacklisted_at', 'is not', null).execute();
  return rows.map((r) => r.server_name);
}
