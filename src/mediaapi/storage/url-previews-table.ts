/**
 * `mediaapi_url_previews`: one row per (URL, time fetched), holding the preview JSON and when it
 * stops being fresh. Several rows per URL accumulate over time (until pruned), which is what
 * lets `ts` pick the preview closest to the moment a message was sent.
 */
import type { Kysely } from 'kysely';

/** A row. Times are milliseconds since the epoch. */
export interface UrlPreviewsTable {
  url: string;
  fetched_ts: number;
  expires_ts: number;
  preview_json: string;
}

/** The tables this file reads and writes (part of the mediaapi's table interface). */
export interface UrlPreviewsTables {
  mediaapi_url_previews: UrlPreviewsTable;
}

type Db = Kysely<UrlPreviewsTables>;

/**
 * The row of `url` fetched closest to `ts`: the latest fetched at or before `ts`, else the
 * earliest fetched after it.
 */
export async function selectClosestUrlPreview(db: Db, url: string, ts: number): Promise<UrlPreviewsTable | undefined> {
  const before = await db
    .selectFrom('mediaapi_url_previews')
    .selectAll()
    .where('url', '=', url)
    .where('fetched_ts', '<=', ts)
    .orderBy('fetched_ts', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (before) return before;
  return db
    .selectFrom('mediaapi_url_previews')
    .selectAll()
    .where('url', '=', url)
    .where('fetched_ts', '>', ts)
    .orderBy('fetched_ts', 'asc')
    .limit(1)
    .executeTakeFirst();
}

/** Stores a row; a row already stored for the same URL and time is kept. */
export async function insertUrlPreview(db: Db, row: UrlPreviewsTable): Promise<void> {
  await db
    .insertInto('mediaapi_url_previews')
    .values(row)
    .onConflict((oc) => oc.columns(['url', 'fetched_ts']).doNothing())
    .execute();
}

/** Deletes the rows that expired before `before`; how many were deleted. */
export async function deleteUrlPreviewsExpiredBefore(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('mediaapi_url_previews').where('expires_ts', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}
