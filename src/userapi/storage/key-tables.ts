/**
 * The E2EE key tables of the userapi as Kysely sees them (listed in `userapi-tables.ts`). Keys
 * are stored as the JSON text the client uploaded, keyed by full user ID (signatures may name
 * other servers' users). Created by `keys-migration.ts`.
 */
import type { Generated } from 'kysely';

/** A device's identity keys (`DeviceKeys`), as uploaded and signed by the device. */
export interface DeviceKeysTable {
  user_id: string;
  device_id: string;
  /** The signed JSON object, without `unsigned`. */
  key_json: string;
}

/** An unclaimed one-time key; `id` is the upload order (oldest claimed first). */
export interface OneTimeKeysTable {
  id: Generated<number>;
  user_id: string;
  device_id: string;
  /** `<algorithm>:<key id>`, as in the upload. */
  key_id: string;
  /** The algorithm part of `key_id`, for counting and claiming. */
  algorithm: string;
  /** The key object (a string for `curve25519`, a signed object for `signed_curve25519`). */
  key_json: string;
}

/** A device's fallback key for one algorithm. */
export interface FallbackKeysTable {
  user_id: string;
  device_id: string;
  algorithm: string;
  key_id: string;
  key_json: string;
  /** 1 once claimed: the device should upload a new one (`device_unused_fallback_key_types`). */
  used: number;
}

/** A cross-signing key of a user: `master`, `self_signing` or `user_signing`. */
export interface CrossSigningKeysTable {
  user_id: string;
  key_type: string;
  key_json: string;
}

/** A signature uploaded with `/keys/signatures/upload`, merged into the signed key when served. */
export interface KeySignaturesTable {
  /** The user who signed. */
  origin_user_id: string;
  /** The signing key's ID, `ed25519:<device ID or public key>`. */
  origin_key_id: string;
  target_user_id: string;
  /** The signed key: a device ID, or a cross-signing key's unpadded base64 public key. */
  target_key_id: string;
  signature: string;
}

/** The key change log: one row per change, in the order positions were handed out. */
export interface KeyChangesTable {
  stream_pos: number;
  user_id: string;
}

/** The one row of the key change log's server-wide counter. */
export interface KeyChangeStreamTable {
  /** Always 1. */
  id: number;
  position: number;
}
