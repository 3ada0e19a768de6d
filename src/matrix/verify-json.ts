/**
 * Checking a JSON signature (spec appendix "Checking for a Signature") for one server and key.
 * Which servers and keys must have signed, and where their public keys come from, is the
 * caller's business; this file only does the cryptography, fast: decoded public keys are cached
 * and libsodium does the check (see ed25519.ts).
 */
import { tryDecodeBase64 } from './base64.js';
import { canonicalJson } from './canonical-json.js';
import { isJsonObject, type JsonObject } from './json.js';
import { UNSIGNED_KEYS } from './sign-json.js';
import { ed25519Verify } from './ed25519.js';

/** Outcome of a signature check; `reason` says why it failed, for logs and error messages. */
export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A public key as unpadded base64 (as in `verify_keys`) or raw 32 bytes. */
export type PublicKeyInput = string | Uint8Array;

/** Options for {@link verifyJsonSignature}. */
export interface VerifyJsonOptions {
  /** Canonical JSON strictness (default `true`); `false` only for events of pre-v6 rooms. */
  readonly strict?: boolean;
}

const CACHE_LIMIT = 4096;
const keyCache = new Map<string, Uint8Array>();

/**
 * The raw bytes of a base64 public key, cached (bounded; oldest entry evicted first).
 * Returns `undefined` if the key is not valid base64 of 32 bytes.
 */
export function cachedPublicKey(base64Key: string): Uint8Array | undefined {
  const hit = keyCache.get(base64Key);
  if (hit) return hit;
  const raw = tryDecodeBase64(base64Key);
  if (!raw || raw.length !== 32) return undefined;
  const key = raw;
  if (keyCache.size >= CACHE_LIMIT) {
    const oldest = keyCache.keys().next();
    if (!oldest.done) keyCache.delete(oldest.value);
  }
  keyCache.set(base64Key, key);
  return key;
}

function toKeyBytes(k: PublicKeyInput): Uint8Array | undefined {
  if (typeof k === 'string') return cachedPublicKey(k);
  return k.length === 32 ? k : undefined;
}

const OK: VerifyResult = { ok: true };
const fail = (reason: string): VerifyResult => ({ ok: false, reason });

/**
 * Checks the signature of `serverName` with `keyId` on `obj` against `publicKey`.
 * Never throws for bad input: malformed signatures, keys or JSON are reported as failures.
 */
export function verifyJsonSignature(
  obj: JsonObject,
  serverName: string,
  keyId: string,
  publicKey: PublicKeyInput,
  opts?: VerifyJsonOptions,
): VerifyResult {
  const signatures = obj.signatures;
  if (!isJsonObject(signatures)) return fail('no signatures object');
  const mine = signatures[serverName];
  if (!isJsonObject(mine)) return fail(`not signed by ${serverName}`);
  if (!keyId.startsWith('ed25519:')) return fail(`unsupported signing algorithm in ${keyId}`);
  const signature = mine[keyId];
  if (typeof signature !== 'string') return fail(`not signed by ${serverName} with ${keyId}`);
  let text: string;
  try {
    text = canonicalJson(obj, { strict: opts?.strict ?? true, omitKeys: UNSIGNED_KEYS });
  } catch (e) {
    return fail(`not canonical JSON: ${(e as Error).message}`);
  }
  return verifyCanonical(text, signature, publicKey, `${serverName} ${keyId}`);
}

/**
 * Checks an unpadded base64 Ed25519 signature over already-encoded canonical JSON (for callers
 * that serialise once and check several signatures, e.g. events).
 * @param label names the signer in the failure reason.
 */
export function verifyCanonical(text: string, signature: string, publicKey: PublicKeyInput, label: string): VerifyResult {
  const sig = tryDecodeBase64(signature);
  if (!sig || sig.length !== 64) return fail(`malformed signature from ${label}`);
  const key = toKeyBytes(publicKey);
  if (!key) return fail(`malformed public key for ${label}`);
  return ed25519Verify(sig, Buffer.from(text, 'utf8'), key) ? OK : fail(`bad signature from ${label}`);
}
