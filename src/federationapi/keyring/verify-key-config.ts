/**
 * The check every public key given in the config passes (a notary's keys, our own old keys):
 * an `ed25519:<version>` key ID and 32 bytes of unpadded base64.
 */
import { ConfigError } from '../../internal/config/config-error.js';
import { tryDecodeBase64 } from '../../matrix/base64.js';

/**
 * Checks one configured key.
 * @throws ConfigError naming `path` when the key ID or the key is malformed.
 */
export function checkConfiguredVerifyKey(path: string, keyId: string, key: string): void {
  if (!/^ed25519:[a-zA-Z0-9_]+$/.test(keyId)) throw new ConfigError(`invalid config: ${path}.${keyId}: not an ed25519 key ID`, path);
  if (tryDecodeBase64(key)?.length !== 32) throw new ConfigError(`invalid config: ${path}.${keyId}: not an unpadded base64 ed25519 public key`, path);
}
