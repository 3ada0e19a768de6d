/** Queries on `userapi_uia_sessions`. */
import type { Kysely } from 'kysely';
import type { UiaSession } from '../api.js';
import type { UserapiTables } from './userapi-tables.js';

/** A session as stored; `version` is what a compare-and-set update must quote. */
export interface StoredUiaSession extends UiaSession {
  readonly version: number;
  /** A registration token whose use is pending for this session. */
  readonly registrationToken: string | null;
}

export async function insertUiaSession(db: Kysely<UserapiTables>, s: UiaSession): Promise<void> {
  await db
    .insertInto('userapi_uia_sessions')
    .values({
      session_id: s.sessionId,
      completed: JSON.stringify(s.completed),
      params: JSON.stringify(s.params),
      created_ts: s.createdTs,
      version: 0,
      registration_token: null,
    })
    .execute();
}

/** The session if it was created after `notBefore` (older ones count as expired). */
export async function selectUiaSession(db: Kysely<UserapiTables>, sessionId: string, notBefore: number): Promise<StoredUiaSession | undefined> {
  const r = await db
    .selectFrom('userapi_uia_sessions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('created_ts', '>', notBefore)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    sessionId: r.session_id,
    completed: JSON.parse(r.completed) as string[],
    params: JSON.parse(r.params) as Record<string, unknown>,
    createdTs: Number(r.created_ts),
    version: r.version,
    registrationToken: r.registration_token,
  };
}

export interface UiaSessionChanges {
  readonly completed: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
}

/** Writes the session if it is still at `expectedVersion`; false when it changed meanwhile or is gone. */
export async function updateUiaSession(
  db: Kysely<UserapiTables>,
  sessionId: string,
  c: UiaSessionChanges,
  expectedVersion: number,
): Promise<boolean> {
  const res = await db
    .updateTable('userapi_uia_sessions')
    .set({
      completed: JSON.stringify(c.completed),
      params: JSON.stringify(c.params),
      version: expectedVersion + 1,
    })
    .where('session_id', '=', sessionId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Sets the session's pending registration token if it is still `expected` (its own
 * compare-and-set, apart from `version`, so stage updates and reservations never overwrite each
 * other); false when it changed meanwhile or the session is gone.
 */
export async function swapRegistrationToken(
  db: Kysely<UserapiTables>,
  sessionId: string,
  expected: string | null,
  token: string | null,
): Promise<boolean> {
  const res = await db
    .updateTable('userapi_uia_sessions')
    .set({ registration_token: token })
    .where('session_id', '=', sessionId)
    .where('registration_token', expected === null ? 'is' : '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Deletes sessions and returns the registration tokens whose pending uses they held. */
export async function deleteUiaSessions(
  db: Kysely<UserapiTables>,
  which: { readonly sessionId: string } | { readonly createdBefore: number },
): Promise<string[]> {
  let q = db.deleteFrom('userapi_uia_sessions');
  q = 'sessionId' in which ? q.where('session_id', '=', which.sessionId) : q.where('created_ts', '<=', which.createdBefore);
  const rows = await q.returning('registration_token').execute();
  return rows.flatMap((r) => (r.registration_token === null ? [] : [r.registration_token]));
}
