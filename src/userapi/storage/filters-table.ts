/**
 * Queries on `userapi_filters`: the filters users upload for `/sync`. A filter is stored as its
 * canonical JSON and found again by the SHA-256 of that text, unique per user, so uploading the
 * same filter twice (keys in any order) returns the same ID, as Synapse and Dendrite do, and a
 * client that uploads its filter at every start does not grow the table. The hash, not the text,
 * carries the unique index: PostgreSQL's B-tree refuses keys over ~2.7 kB, and filters can be
 * longer. IDs come from one auto-increment key (no per-user counter to race on); a user can only
 * read their own, so the numbering reveals nothing useful.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

/**
 * The ID of the user's filter with this canonical JSON, stored now if they had none. Two racing
 * uploads of the same filter get the same ID: the loser's insert does nothing and it reads the
 * winner's row.
 */
export async function insertFilter(db: Kysely<UserapiTables>, localpart: string, canonicalJson: string): Promise<string> {
  const filterHash = createHash('sha256').update(canonicalJson).digest('hex');
  const inserted = await db
    .insertInto('userapi_filters')
    .values({ localpart, filter_hash: filterHash, filter: canonicalJson })
    .onConflict((oc) => oc.columns(['localpart', 'filter_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return String(inserted.id);
  const existing = await db
    .selectFrom('userapi_filters')
    .select('id')
    .where('localpart', '=', localpart)
    .where('filter_hash', '=', filterHash)
    .executeTakeFirstOrThrow();
  return String(existing.id);
}

/** The filter's JSON text, when `filterId` names one of the user's filters. */
export async function selectFilter(db: Kysely<UserapiTables>, localpart: string, filterId: string): Promise<string | undefined> {
  // Only canonical decimal IDs can be ours: "007", "1e3" or "abc" must not reach the integer column.
  if (!/^(0|[1-9][0-9]{0,15})$/.test(filterId)) return undefined;
  const row = await db
    .selectFrom('userapi_filters')
    .select('filter')
    .where('id', '=', Number(filterId))
    .where('localpart', '=', localpart)
    .executeTakeFirst();
  return row?.filter;
}
