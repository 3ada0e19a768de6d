/** Queries on `userapi_profiles`. */
import type { Kysely } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

/** A profile as stored; `version` is what a compare-and-set update must quote. */
export interface StoredProfile {
  readonly displayname: string | null;
  readonly avatarUrl: string | null;
  /** Every field other than `displayname` and `avatar_url`. */
  readonly custom: Readonly<Record<string, unknown>>;
  readonly version: number;
}

export type ProfileContent = Omit<StoredProfile, 'version'>;

export async function insertProfile(db: Kysely<UserapiTables>, localpart: string, displayname: string | null): Promise<void> {
  await db
    .insertInto('userapi_profiles')
    .values({ localpart, displayname, avatar_url: null, custom: '{}', version: 0 })
    .onConflict((oc) => oc.column('localpart').doNothing())
    .execute();
}

export async function selectProfile(db: Kysely<UserapiTables>, localpart: string): Promise<StoredProfile | undefined> {
  const row = await db.selectFrom('userapi_profiles').selectAll().where('localpart', '=', localpart).executeTakeFirst();
  if (!row) return undefined;
  return {
    displayname: row.displayname,
    avatarUrl: row.avatar_url,
    custom: JSON.parse(row.custom) as Record<string, unknown>,
    version: row.version,
  };
}

/** Replaces the profile if it is still at `expectedVersion`; false when it changed meanwhile or is gone. */
export async function replaceProfile(
  db: Kysely<UserapiTables>,
  localpart: string,
  content: ProfileContent,
  expectedVersion: number,
): Promise<boolean> {
  const res = await db
    .updateTable('userapi_profiles')
    .set({
      displayname: content.displayname,
      avatar_url: content.avatarUrl,
      custom: JSON.stringify(content.custom),
      version: expectedVersion + 1,
    })
    .where('localpart', '=', localpart)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteProfile(db: Kysely<UserapiTables>, localpart: string): Promise<void> {
  await db.deleteFrom('userapi_profiles').where('localpart', '=', localpart).execute();
}
