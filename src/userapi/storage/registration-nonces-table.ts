/** Queries on `userapi_registration_nonces` (shared-secret registration, single use, stored hashed). */
import type { Kysely } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

export async function insertNonce(db: Kysely<UserapiTables>, nonceHash: string, expiresTs: number): Promise<void> {
  await db.insertInto('userapi_registration_nonces').values({ nonce_hash: nonceHash, expires_ts: expiresTs }).execute();
}

/** Deletes the nonce; true when it existed and had not expired (one statement: single use holds under concurrency). */
export async function takeNonce(db: Kysely<UserapiTables>, nonceHash: string, now: number): Promise<boolean> {
  const row = await db.deleteFrom('userapi_registration_nonces').where('nonce_hash', '=', nonceHash).returning('expires_ts').executeTakeFirst();
  return row !== undefined && row.expires_ts > now;
}

export async function deleteExpiredNonces(db: Kysely<UserapiTables>, now: number): Promise<void> {
  await db.deleteFrom('userapi_registration_nonces').where('expires_ts', '<=', now).execute();
}
