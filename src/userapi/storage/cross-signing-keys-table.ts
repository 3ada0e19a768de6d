/** Queries on `userapi_cross_signing_keys`: each user's master, self-signing and user-signing key. */
import type { Kysely } from 'kysely';
import type { JsonObject } from '../../matrix/json.js';
import type { UserapiTables } from './userapi-tables.js';

/** The three kinds of cross-signing key. */
export type CrossSigningKeyType = 'master' | 'self_signing' | 'user_signing';

/** A user's cross-signing keys, as uploaded; a kind they have none of is absent. */
export type StoredCrossSigningKeys = Partial<Record<CrossSigningKeyType, JsonObject>>;

/** The cross-signing keys of each of `userIds` that has any. */
export async function selectCrossSigningKeys(db: Kysely<UserapiTables>, userIds: readonly string[]): Promise<Map<string, StoredCrossSigningKeys>> {
  const out = new Map<string, StoredCrossSigningKeys>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('userapi_cross_signing_keys')
    .select(['user_id', 'key_type', 'key_json'])
    .where('user_id', 'in', [...new Set(userIds)])
    .execute();
  for (const r of rows) {
    const keys = out.get(r.user_id) ?? {};
    keys[r.key_type as CrossSigningKeyType] = JSON.parse(r.key_json) as JsonObject;
    out.set(r.user_id, keys);
  }
  return out;
}

/** Stores (or replaces) one of the user's cross-signing keys. */
export async function upsertCrossSigningKey(db: Kysely<UserapiTables>, userId: string, type: CrossSigningKeyType, key: JsonObject): Promise<void> {
  await db
    .insertInto('userapi_cross_signing_keys')
    .values({ user_id: userId, key_type: type, key_json: JSON.stringify(key) })
    .onConflict((oc) => oc.columns(['user_id', 'key_type']).doUpdateSet((eb) => ({ key_json: eb.ref('excluded.key_json') })))
    .execute();
}

/**
 * The unpadded base64 public key of a cross-signing key (the value of its one `keys` entry),
 * or undefined when it does not have exactly one `ed25519:` key.
 */
export function crossSigningPublicKey(key: JsonObject | undefined): string | undefined {
  const keys = key?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return undefined;
  const entries = Object.entries(keys);
  if (entries.length !== 1) return undefined;
  const [keyId, value] = entries[0]!;
  return keyId.startsWith('ed25519:') && typeof value === 'string' ? value : undefined;
}
