/**
 * Queries on `userapi_key_backup_versions`. The current version of a user's backup is their
 * highest version not deleted, so deleting the newest backup makes the previous one current
 * again (as Synapse and Dendrite do).
 */
import type { ExpressionBuilder, Kysely, UpdateObject } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

/** A version row as the storage hands it out. */
export interface VersionRow {
  readonly version: number;
  readonly algorithm: string;
  readonly authData: string;
  readonly etag: number;
}

/** What deleting a version found. */
export type VersionDeletion = 'deleted' | 'already-deleted' | 'unknown';

const ATTEMPTS = 5;

type VersionsTable = 'userapi_key_backup_versions';
/** A change to a version row, as `set` takes it. */
type VersionUpdate = UpdateObject<UserapiTables, VersionsTable> | ((eb: ExpressionBuilder<UserapiTables, VersionsTable>) => UpdateObject<UserapiTables, VersionsTable>);

/**
 * Adds a version numbered one above every version the user ever had (deleted ones included);
 * its number. Two racing creations pick the same number: the loser's insert does nothing and it
 * tries the next number.
 */
export async function insertVersion(db: Kysely<UserapiTables>, localpart: string, algorithm: string, authData: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const { top } = await db
      .selectFrom('userapi_key_backup_versions')
      .select((eb) => eb.fn.max('version').as('top'))
      .where('localpart', '=', localpart)
      .executeTakeFirstOrThrow();
    const version = Number(top ?? 0) + 1;
    const res = await db
      .insertInto('userapi_key_backup_versions')
      .values({ localpart, version, algorithm, auth_data: authData, etag: 0, deleted: 0 })
      .onConflict((oc) => oc.columns(['localpart', 'version']).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 1) return version;
    if (attempt >= ATTEMPTS) throw new Error(`could not allocate a key backup version for ${localpart}`);
  }
}

/** The user's live (not deleted) version `version`, or their current one when `version` is undefined. */
export async function selectLiveVersion(db: Kysely<UserapiTables>, localpart: string, version: number | undefined): Promise<VersionRow | undefined> {
  let q = db
    .selectFrom('userapi_key_backup_versions')
    .select(['version', 'algorithm', 'auth_data', 'etag'])
    .where('localpart', '=', localpart)
    .where('deleted', '=', 0);
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  return row && { version: Number(row.version), algorithm: row.algorithm, authData: row.auth_data, etag: Number(row.etag) };
}

/** The number of the user's current version, undefined when they have no live backup. */
export async function selectCurrentVersion(db: Kysely<UserapiTables>, localpart: string): Promise<number | undefined> {
  const { top } = await db
    .selectFrom('userapi_key_backup_versions')
    .select((eb) => eb.fn.max('version').as('top'))
    .where('localpart', '=', localpart)
    .where('deleted', '=', 0)
    .executeTakeFirstOrThrow();
  return top === null || top === undefined ? undefined : Number(top);
}

/**
 * Touches a live version's row so the transaction holds its lock (PostgreSQL; SQLite serialises
 * writers anyway): a key write and the version's deletion cannot interleave, so no key outlives
 * its version. false when the version is unknown or deleted.
 */
export async function lockLiveVersion(db: Kysely<UserapiTables>, localpart: string, version: number): Promise<boolean> {
  return updateLiveVersion(db, localpart, version, (eb) => ({ etag: eb.ref('etag') }));
}

/** Moves the version's etag on (its keys changed); the new etag. */
export async function bumpEtag(db: Kysely<UserapiTables>, localpart: string, version: number): Promise<number> {
  const row = await db
    .updateTable('userapi_key_backup_versions')
    .set((eb) => ({ etag: eb('etag', '+', 1) }))
    .where('localpart', '=', localpart)
    .where('version', '=', version)
    .returning('etag')
    .executeTakeFirstOrThrow();
  return Number(row.etag);
}

/** Replaces a live version's `auth_data`; false when the version is unknown or deleted. */
export async function updateAuthData(db: Kysely<UserapiTables>, localpart: string, version: number, authData: string): Promise<boolean> {
  return updateLiveVersion(db, localpart, version, { auth_data: authData });
}

/** Flags a version deleted (its `auth_data` is dropped: nothing reads it again). */
export async function markVersionDeleted(db: Kysely<UserapiTables>, localpart: string, version: number): Promise<VersionDeletion> {
  if (await updateLiveVersion(db, localpart, version, { deleted: 1, auth_data: '{}' })) return 'deleted';
  const row = await db
    .selectFrom('userapi_key_backup_versions')
    .select('version')
    .where('localpart', '=', localpart)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? 'already-deleted' : 'unknown';
}

/** Applies `set` to the user's live (not deleted) version `version`; false when there is none. */
async function updateLiveVersion(db: Kysely<UserapiTables>, localpart: string, version: number, set: VersionUpdate): Promise<boolean> {
  const res = await db
    .updateTable('userapi_key_backup_versions')
    .set(set)
    .where('localpart', '=', localpart)
    .where('version', '=', version)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
