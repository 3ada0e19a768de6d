/** Queries on `userapi_access_tokens` and `userapi_refresh_tokens`. */
import type { Kysely } from 'kysely';
import type { AccountType } from '../api.js';
import type { UserapiTables } from './userapi-tables.js';

/** An access token's owner, as found by its hash. */
export interface StoredAccessToken {
  readonly localpart: string;
  readonly deviceId: string;
  readonly expiresTs: number | null;
  readonly accountType: AccountType;
  readonly isAdmin: boolean;
  readonly appserviceId: string | null;
  readonly deactivated: boolean;
  /** The account is locked: its requests fail with M_USER_LOCKED (only logout passes). */
  readonly locked: boolean;
  /** The account is suspended: its requests carry the flag, routes refuse actions with M_USER_SUSPENDED. */
  readonly suspended: boolean;
  /** The refresh token to retire on this token's first use. */
  readonly replacesRefreshId: number | null;
}

export interface StoredRefreshToken {
  readonly id: number;
  readonly localpart: string;
  readonly deviceId: string;
  readonly nextId: number | null;
}

export interface NewAccessToken {
  readonly tokenHash: string;
  readonly localpart: string;
  readonly deviceId: string;
  readonly createdTs: number;
  readonly expiresTs: number | null;
  readonly refreshTokenId: number | null;
  readonly replacesRefreshId: number | null;
}

export async function insertAccessToken(db: Kysely<UserapiTables>, t: NewAccessToken): Promise<void> {
  await db
    .insertInto('userapi_access_tokens')
    .values({
      token_hash: t.tokenHash,
      localpart: t.localpart,
      device_id: t.deviceId,
      created_ts: t.createdTs,
      expires_ts: t.expiresTs,
      refresh_token_id: t.refreshTokenId,
      replaces_refresh_id: t.replacesRefreshId,
    })
    .execute();
}

/** Inserts a refresh token and returns its ID. */
export async function insertRefreshToken(
  db: Kysely<UserapiTables>,
  tokenHash: string,
  localpart: string,
  deviceId: string,
  createdTs: number,
): Promise<number> {
  const row = await db
    .insertInto('userapi_refresh_tokens')
    .values({ token_hash: tokenHash, localpart, device_id: deviceId, created_ts: createdTs, next_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function selectAccessToken(db: Kysely<UserapiTables>, tokenHash: string): Promise<StoredAccessToken | undefined> {
  const row = await db
    .selectFrom('userapi_access_tokens as t')
    .innerJoin('userapi_accounts as a', 'a.localpart', 't.localpart')
    .select(['t.localpart', 't.device_id', 't.expires_ts', 't.replaces_refresh_id', 'a.account_type', 'a.is_admin', 'a.appservice_id', 'a.deactivated'])
    .select(['a.locked', 'a.suspended'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    localpart: row.localpart,
    deviceId: row.device_id,
    expiresTs: row.expires_ts,
    accountType: row.account_type as AccountType,
    isAdmin: row.is_admin === 1,
    appserviceId: row.appservice_id,
    deactivated: row.deactivated === 1,
    locked: row.locked === 1,
    suspended: row.suspended === 1,
    replacesRefreshId: row.replaces_refresh_id === null ? null : Number(row.replaces_refresh_id),
  };
}

export async function selectRefreshToken(db: Kysely<UserapiTables>, tokenHash: string): Promise<StoredRefreshToken | undefined> {
  const row = await db
    .selectFrom('userapi_refresh_tokens')
    .select(['id', 'localpart', 'device_id', 'next_id'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: Number(row.id), localpart: row.localpart, deviceId: row.device_id, nextId: row.next_id === null ? null : Number(row.next_id) };
}

/** Deletes refresh tokens and the access tokens issued with them. */
export async function deleteRefreshTokens(db: Kysely<UserapiTables>, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('userapi_access_tokens').where('refresh_token_id', 'in', ids).execute();
  await db.deleteFrom('userapi_refresh_tokens').where('id', 'in', ids).execute();
}

/** IDs of the refresh tokens whose pending successor is `id`. */
export async function selectPredecessors(db: Kysely<UserapiTables>, id: number): Promise<number[]> {
  const rows = await db.selectFrom('userapi_refresh_tokens').select('id').where('next_id', '=', id).execute();
  return rows.map((r) => Number(r.id));
}

/** Records `nextId` as the successor of `id` if its successor is still `expected`; false otherwise. */
export async function swapNextId(db: Kysely<UserapiTables>, id: number, expected: number | null, nextId: number): Promise<boolean> {
  const res = await db
    .updateTable('userapi_refresh_tokens')
    .set({ next_id: nextId })
    .where('id', '=', id)
    .where('next_id', expected === null ? 'is' : '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Forgets which refresh token an access token replaces (after that token has been retired). */
export async function clearReplaces(db: Kysely<UserapiTables>, refreshId: number): Promise<void> {
  await db.updateTable('userapi_access_tokens').set({ replaces_refresh_id: null }).where('replaces_refresh_id', '=', refreshId).execute();
}

/** Deletes every access and refresh token of one device (re-login with the same device ID). */
export async function deleteDeviceTokens(db: Kysely<UserapiTables>, localpart: string, deviceId: string): Promise<void> {
  await db.deleteFrom('userapi_access_tokens').where('localpart', '=', localpart).where('device_id', '=', deviceId).execute();
  await db.deleteFrom('userapi_refresh_tokens').where('localpart', '=', localpart).where('device_id', '=', deviceId).execute();
}
