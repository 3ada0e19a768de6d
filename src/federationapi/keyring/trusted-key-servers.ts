/**
 * The notaries the key ring asks when a server cannot be reached directly
 * (`federation.trusted_key_servers`). Each comes with the keys its answers must be signed with:
 * a notary is only as trustworthy as our knowledge of its key, so there is no "trust whatever key
 * it presents" mode, and no default notary (Axon does not ask matrix.org unless told to).
 */
import { ConfigError } from '../../internal/config/config-error.js';
import { checkConfiguredVerifyKey } from './verify-key-config.js';

/** A notary and its keys. */
export interface TrustedKeyServer {
  readonly serverName: string;
  /** Key ID → unpadded base64 public key. */
  readonly verifyKeys: ReadonlyMap<string, string>;
}

/** The config entry (`federation.trusted_key_servers[]`). */
export interface TrustedKeyServerConfig {
  readonly server_name: string;
  readonly verify_keys: Readonly<Record<string, string>>;
}

/**
 * Reads the configured notaries.
 * @throws ConfigError for a notary without keys or with a key that is not 32 bytes of base64.
 */
export function trustedKeyServersFromConfig(entries: readonly TrustedKeyServerConfig[]): TrustedKeyServer[] {
  return entries.map((entry, i) => {
    const path = `federation.trusted_key_servers.${i}.verify_keys`;
    const keys = Object.entries(entry.verify_keys);
    if (keys.length === 0) throw new ConfigError(`invalid config: ${path}: list the notary's key(s)`, path);
    for (const [keyId, key] of keys) checkConfiguredVerifyKey(path, keyId, key);
    return { serverName: entry.server_name, verifyKeys: new Map(keys) };
  });
}
