/** Queries on `userapi_login_tokens` (single-use `m.login.token` tokens, stored hashed). */
import type { Kysely } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

export async function insertLoginToken(
  db: Kysely<UserapiTables>,
  tokenHash: string,
  localpart: string,
  createdTs: number,
  expiresTs: number,
): Promise<void> {
  await db.insertInto('userapi_login_tokens').values({ token_hash: tokenHash, localpart, created_ts: createdTs, expires_ts: expiresTs }).execute();
}

/**
 * Deletes the token and returns its user if it had not expired. The delete and the read are one
 * statement, so two concurrent redemptions cannot both succeed.
 */
export async function takeLoginToken(db: Kysely<UserapiTables>, tokenHash: string, now: number): Promise<string | undefined> {
  const row = await db
    .deleteFrom('userapi_login_tokens')
    .where('token_hash', '=', tokenHash)
    .returning(['localpart', 'expires_ts'])
    .executeTakeFirst();
  return row && row.expires_ts > now ? row.localpart : undefined;
}

export async function deleteExpiredLoginTokens(db: Kysely<UserapiTables>, now: number): Promise<void> {
  await db.deleteFrom('userapi_login_tokens').where('expires_ts', '<=', now).execute();
}

export async function deleteUserLoginTokens(db: Kysely<UserapiTables>, localpart: string): Promise<void> {
  await db.deleteFrom('userapi_login_tokens').where('localpart', '=', localpart).execute();
}
