/**
 * Ed25519 signing keys: a 32-byte seed, its key ID `ed25519:<version>`, and the Synapse-compatible
 * key file format (`ed25519 <version> <unpadded base64 seed>`, one key per line), so an existing
 * Synapse or Dendrite key can be reused and the server keeps its identity.
 */
import { randomBytes } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64.js';
import { ed25519KeyPairFromSeed } from './ed25519.js';

/** A server's signing key with everything derived from the seed. */
export interface SigningKey {
  /** The version part of the key ID, `[a-zA-Z0-9_]+`. */
  readonly version: string;
  /** `ed25519:<version>`, as used in `signatures` and `verify_keys`. */
  readonly keyId: string;
  /** The 32-byte private seed. Secret: never log it. */
  readonly seed: Buffer;
  /** libsodium's 64-byte secret key (seed ‖ public key), in guarded memory. Secret. */
  readonly secretKey: Buffer;
  /** The 32-byte public key. */
  readonly publicKey: Buffer;
  /** The public key as unpadded base64 (the `key` of `verify_keys`). */
  readonly publicKeyBase64: string;
}

/** The version part of a key ID (spec: characters matching `[a-zA-Z0-9_]`). */
export const KEY_VERSION_PATTERN = /^[a-zA-Z0-9_]+$/;

/**
 * Builds the key for a seed.
 * @throws Error if the seed is not 32 bytes or the version has characters outside `[a-zA-Z0-9_]`.
 */
export function signingKeyFromSeed(seed: Uint8Array, version: string): SigningKey {
  if (seed.length !== 32) throw new Error(`An ed25519 seed is 32 bytes, got ${seed.length}`);
  if (!KEY_VERSION_PATTERN.test(version)) throw new Error(`Invalid key version "${version}": use [a-zA-Z0-9_]`);
  const seedBuf = Buffer.from(seed);
  const { publicKey, secretKey } = ed25519KeyPairFromSeed(seedBuf);
  return {
    version,
    keyId: `ed25519:${version}`,
    seed: seedBuf,
    secretKey,
    publicKey,
    publicKeyBase64: encodeBase64(publicKey),
  };
}

/**
 * A fresh random key. Without a version, one like Synapse's `a_XyZw` is chosen (random so a
 * regenerated key never reuses an ID other servers have cached with a different public key).
 */
export function generateSigningKey(version?: string): SigningKey {
  const v = version ?? `a_${randomBytes(3).toString('base64url').replace(/-/g, 'A').replace(/_/g, 'B')}`;
  return signingKeyFromSeed(randomBytes(32), v);
}

/** One line of a key file: `ed25519 <version> <unpadded base64 seed>`. */
export function formatSigningKey(key: SigningKey): string {
  return `ed25519 ${key.version} ${encodeBase64(key.seed)}`;
}

/**
 * Reads a key file: one key per non-blank line, `ed25519 <version> <base64 seed>`.
 * @throws Error naming the line for anything else (wrong algorithm, bad base64, wrong length).
 */
export function parseSigningKeyFile(text: string): SigningKey[] {
  const keys: SigningKey[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const parts = line.split(/\s+/);
    if (parts.length !== 3 || parts[0] !== 'ed25519') {
      throw new Error(`Signing key file line ${i + 1}: expected "ed25519 <version> <base64 seed>"`);
    }
    try {
      keys.push(signingKeyFromSeed(decodeBase64(parts[2] ?? ''), parts[1] ?? ''));
    } catch (e) {
      throw new Error(`Signing key file line ${i + 1}: ${(e as Error).message}`, { cause: e });
    }
  }
  return keys;
}
