/**
 * Queries on `userapi_key_backup_keys`. The spec's replacement rule (a stored session key is
 * replaced only by a better one) runs inside the upsert itself, as the `WHERE` of its
 * `ON CONFLICT DO UPDATE`: two clients racing to back up the same session cannot both read
 * "no better key stored" and overwrite each other, and the engine's count of changed rows says
 * whether the backup changed (so whether its etag must move).
 */
import { sql, type Kysely } from 'kysely';
import type { KeyBackupKeysTable } from './key-backup-tables.js';
import type { UserapiTables } from './userapi-tables.js';

/** A session key as the storage takes and returns it. */
export interface BackupKeyRow {
  readonly roomId: string;
  readonly sessionId: string;
  readonly firstMessageIndex: number;
  readonly forwardedCount: number;
  readonly isVerified: boolean;
  /** The `session_data` object as JSON text. */
  readonly sessionData: string;
}

/** Which keys of a version an operation addresses: all, one room's, or one session's. */
export interface BackupKeyScope {
  readonly roomId?: string;
  /** Only with `roomId`. */
  readonly sessionId?: string;
}

const KEYS = 'userapi_key_backup_keys';

/**
 * The spec's order, new row (`excluded`) against stored row: a verified key beats an unverified
 * one; then the lower `first_message_index` wins; then the lower `forwarded_count`. A key equal
 * on all three keeps the stored one, so re-uploading the same backup changes nothing.
 */
const NEW_KEY_IS_BETTER = sql<boolean>`(
  excluded.is_verified > ${sql.ref(`${KEYS}.is_verified`)}
  OR (excluded.is_verified = ${sql.ref(`${KEYS}.is_verified`)}
    AND (excluded.first_message_index < ${sql.ref(`${KEYS}.first_message_index`)}
      OR (excluded.first_message_index = ${sql.ref(`${KEYS}.first_message_index`)}
        AND excluded.forwarded_count < ${sql.ref(`${KEYS}.forwarded_count`)})))
)`;

/**
 * Stores the keys into the user's version, each replacing a stored key of the same session only
 * when better; how many rows were inserted or replaced. `chunkRows` bounds the rows per statement
 * (bind-parameter limits). A session must appear once in `keys`.
 */
export async function upsertKeys(
  db: Kysely<UserapiTables>,
  localpart: string,
  version: number,
  keys: readonly BackupKeyRow[],
  chunkRows: number,
): Promise<number> {
  let changed = 0;
  for (let i = 0; i < keys.length; i += chunkRows) {
    const rows: KeyBackupKeysTable[] = keys.slice(i, i + chunkRows).map((k) => ({
      localpart,
      version,
      room_id: k.roomId,
      session_id: k.sessionId,
      first_message_index: k.firstMessageIndex,
      forwarded_count: k.forwardedCount,
      is_verified: k.isVerified ? 1 : 0,
      session_data: k.sessionData,
    }));
    const res = await db
      .insertInto(KEYS)
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['localpart', 'version', 'room_id', 'session_id'])
          .doUpdateSet((eb) => ({
            first_message_index: eb.ref('excluded.first_message_index'),
            forwarded_count: eb.ref('excluded.forwarded_count'),
            is_verified: eb.ref('excluded.is_verified'),
            session_data: eb.ref('excluded.session_data'),
          }))
          .where(NEW_KEY_IS_BETTER),
      )
      .executeTakeFirst();
    changed += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return changed;
}

/** The version's keys in the scope, by room then session. */
export async function selectKeys(db: Kysely<UserapiTables>, localpart: string, version: number, scope: BackupKeyScope): Promise<BackupKeyRow[]> {
  let q = db
    .selectFrom(KEYS)
    .select(['room_id', 'session_id', 'first_message_index', 'forwarded_count', 'is_verified', 'session_data'])
    .where('localpart', '=', localpart)
    .where('version', '=', version);
  if (scope.roomId !== undefined) q = q.where('room_id', '=', scope.roomId);
  if (scope.sessionId !== undefined) q = q.where('session_id', '=', scope.sessionId);
  const rows = await q.orderBy('room_id').orderBy('session_id').execute();
  return rows.map((r) => ({
    roomId: r.room_id,
    sessionId: r.session_id,
    firstMessageIndex: Number(r.first_message_index),
    forwardedCount: Number(r.forwarded_count),
    isVerified: Number(r.is_verified) === 1,
    sessionData: r.session_data,
  }));
}

/** Deletes the version's keys in the scope; how many. */
export async function deleteKeys(db: Kysely<UserapiTables>, localpart: string, version: number, scope: BackupKeyScope): Promise<number> {
  let q = db.deleteFrom(KEYS).where('localpart', '=', localpart).where('version', '=', version);
  if (scope.roomId !== undefined) q = q.where('room_id', '=', scope.roomId);
  if (scope.sessionId !== undefined) q = q.where('session_id', '=', scope.sessionId);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** How many keys the version holds. */
export async function countKeys(db: Kysely<UserapiTables>, localpart: string, version: number): Promise<number> {
  const row = await db
    .selectFrom(KEYS)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('localpart', '=', localpart)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
