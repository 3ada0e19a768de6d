/**
 * Queries on `userapi_openid_tokens`: tokens a user hands to a third party, which trades them for
 * the user's ID at `GET /_matrix/federation/v1/openid/userinfo`. Stored hashed, valid until
 * `expires_ts`, usable any number of times until then (unlike login tokens).
 */
import type { Kysely } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

export async function insertOpenIdToken(db: Kysely<UserapiTables>, tokenHash: string, localpart: string, expiresTs: number): Promise<void> {
  await db.insertInto('userapi_openid_tokens').values({ token_hash: tokenHash, localpart, expires_ts: expiresTs }).execute();
}

/** The token's user while it has not expired at `now`. */
export async function selectOpenIdToken(db: Kysely<UserapiTables>, tokenHash: string, now: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('userapi_openid_tokens')
    .select('localpart')
    .where('token_hash', '=', tokenHash)
    .where('expires_ts', '>', now)
    .executeTakeFirst();
  return row?.localpart;
}

export async function deleteExpiredOpenIdTokens(db: Kysely<UserapiTables>, now: number): Promise<void> {
  await db.deleteFrom('userapi_openid_tokens').where('expires_ts', '<=', now).execute();
}
