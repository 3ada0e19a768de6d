/**
 * The server's signing key: read from `signing_key_path`, or generated there (mode 0600) on first
 * start. The first key in the file signs; any further keys are only kept for verification.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../internal/config/config-error.js';
import { formatSigningKey, generateSigningKey, parseSigningKeyFile, type SigningKey } from '../matrix/signing-key.js';

export function loadOrCreateSigningKey(path: string): SigningKey {
  if (!existsSync(path)) {
    const key = generateSigningKey();
    writeSigningKeyFile(path, key);
    return key;
  }
  let keys: SigningKey[];
  try {
    keys = parseSigningKeyFile(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`signing_key_path: ${path}: ${(e as Error).message}`, 'signing_key_path');
  }
  const first = keys[0];
  if (!first) throw new ConfigError(`signing_key_path: ${path} contains no key`, 'signing_key_path');
  return first;
}

/** Writes a new key file readable only by its owner; refuses to overwrite. */
export function writeSigningKeyFile(path: string, key: SigningKey): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${formatSigningKey(key)}\n`, { mode: 0o600, flag: 'wx' });
}
