/**
 * Signatures uploaded after the key they sign (`/keys/signatures/upload`): a device signed by
 * its user's self-signing key, a master key signed by one of its user's devices, another user's
 * master key signed by the uploader's user-signing key. They are merged into the signed key's
 * `signatures` whenever it is served.
 */
import type { Kysely } from 'kysely';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { UserapiTables } from './userapi-tables.js';

/** One stored signature. */
export interface StoredKeySignature {
  readonly originUserId: string;
  /** `ed25519:<device ID or public key>`. */
  readonly originKeyId: string;
  readonly targetUserId: string;
  /** A device ID, or a cross-signing key's public key. */
  readonly targetKeyId: string;
  readonly signature: string;
}

/** Stores signatures, replacing an earlier one by the same key on the same target. */
export async function upsertKeySignatures(db: Kysely<UserapiTables>, sigs: readonly StoredKeySignature[]): Promise<void> {
  for (const s of sigs) {
    await db
      .insertInto('userapi_key_signatures')
      .values({
        origin_user_id: s.originUserId,
        origin_key_id: s.originKeyId,
        target_user_id: s.targetUserId,
        target_key_id: s.targetKeyId,
        signature: s.signature,
      })
      .onConflict((oc) =>
        oc.columns(['origin_user_id', 'origin_key_id', 'target_user_id', 'target_key_id']).doUpdateSet((eb) => ({ signature: eb.ref('excluded.signature') })),
      )
      .execute();
  }
}

/** The signatures on `targetUserId`'s keys `targetKeyIds`. */
export async function selectKeySignatures(db: Kysely<UserapiTables>, targetUserId: string, targetKeyIds: readonly string[]): Promise<StoredKeySignature[]> {
  if (targetKeyIds.length === 0) return [];
  const rows = await db
    .selectFrom('userapi_key_signatures')
    .selectAll()
    .where('target_user_id', '=', targetUserId)
    .where('target_key_id', 'in', [...new Set(targetKeyIds)])
    .execute();
  return rows.map((r) => ({
    originUserId: r.origin_user_id,
    originKeyId: r.origin_key_id,
    targetUserId: r.target_user_id,
    targetKeyId: r.target_key_id,
    signature: r.signature,
  }));
}

/** Deletes the signatures made by `userId`'s keys `originKeyIds` (a replaced key, a deleted device). */
export async function deleteSignaturesBy(db: Kysely<UserapiTables>, userId: string, originKeyIds: readonly string[]): Promise<void> {
  if (originKeyIds.length === 0) return;
  await db.deleteFrom('userapi_key_signatures').where('origin_user_id', '=', userId).where('origin_key_id', 'in', originKeyIds).execute();
}

/** Deletes the signatures on `userId`'s keys `targetKeyIds`. */
export async function deleteSignaturesOn(db: Kysely<UserapiTables>, userId: string, targetKeyIds: readonly string[]): Promise<void> {
  if (targetKeyIds.length === 0) return;
  await db.deleteFrom('userapi_key_signatures').where('target_user_id', '=', userId).where('target_key_id', 'in', targetKeyIds).execute();
}

/**
 * A copy of `key` with `sigs` added to its `signatures`. Only signatures `viewer` may see are
 * added: those by the key's own user, and those by `viewer` (a user-signing signature of someone
 * else's master key is private to its signer, as Synapse keeps it).
 */
export function withStoredSignatures(key: JsonObject, sigs: readonly StoredKeySignature[], ownerId: string, viewer: string | null): JsonObject {
  const visible = sigs.filter((s) => s.originUserId === ownerId || (viewer !== null && s.originUserId === viewer));
  if (visible.length === 0) return key;
  const signatures: JsonObject = isJsonObject(key.signatures) ? { ...key.signatures } : {};
  for (const s of visible) {
    const byUser = signatures[s.originUserId];
    signatures[s.originUserId] = { ...(isJsonObject(byUser) ? byUser : {}), [s.originKeyId]: s.signature };
  }
  return { ...key, signatures };
}
