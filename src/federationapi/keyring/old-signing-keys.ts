/**
 * Our old signing keys from the config (`old_signing_keys`, Synapse's format), published as
 * `old_verify_keys` by `/_matrix/key/v2/server` so events signed before a key rotation — or
 * before a move from another homeserver implementation — still verify elsewhere.
 */
import type { OldVerifyKey } from '../../matrix/server-keys.js';
import { checkConfiguredVerifyKey } from './verify-key-config.js';

/** The config entry: key ID → the public key and when it stopped signing. */
export type OldSigningKeysConfig = Readonly<Record<string, { readonly key: string; readonly expired_ts: number }>>;

/**
 * Reads the configured old keys, in key ID order.
 * @throws ConfigError for a malformed key ID or key.
 */
export function oldSigningKeysFromConfig(entries: OldSigningKeysConfig): OldVerifyKey[] {
  return Object.entries(entries)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([keyId, { key, expired_ts: expiredTs }]) => {
      checkConfiguredVerifyKey('old_signing_keys', keyId, key);
      return { keyId, key, expiredTs };
    });
}
