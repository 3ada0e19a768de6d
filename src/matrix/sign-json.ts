/**
 * Signing JSON (spec appendix "Signing Details"): the canonical JSON of the object without
 * `signatures` and `unsigned` is signed with Ed25519, and the unpadded base64 signature is added
 * under `signatures[serverName][keyId]`, keeping any signatures already there.
 */
import { encodeBase64 } from './base64.js';
import { canonicalJson } from './canonical-json.js';
import { ed25519Sign } from './ed25519.js';
import { isJsonObject, type JsonObject } from './json.js';
import type { SigningKey } from './signing-key.js';

/** Top-level keys that signatures never cover. */
export const UNSIGNED_KEYS: readonly string[] = ['signatures', 'unsigned'];

/** Options for {@link signJson} and {@link jsonSignature}. */
export interface SignJsonOptions {
  /** Canonical JSON strictness (default `true`); `false` only for events of pre-v6 rooms. */
  readonly strict?: boolean;
}

/**
 * The signature `key` makes over `obj` (which may carry `signatures`/`unsigned`; they are
 * ignored), as unpadded base64.
 */
export function jsonSignature(obj: JsonObject, key: SigningKey, opts?: SignJsonOptions): string {
  const text = canonicalJson(obj, { strict: opts?.strict ?? true, omitKeys: UNSIGNED_KEYS });
  return encodeBase64(ed25519Sign(Buffer.from(text, 'utf8'), key.secretKey));
}

/**
 * Returns a copy of `obj` signed by `serverName` with `key`. Existing signatures (including
 * other keys of the same server) are kept; `unsigned` is kept but not covered.
 *
 * @throws MatrixError `M_BAD_JSON` if `obj` is not canonical-JSON encodable.
 */
export function signJson<T extends JsonObject>(
  obj: T,
  serverName: string,
  key: SigningKey,
  opts?: SignJsonOptions,
): T & { signatures: JsonObject } {
  const signature = jsonSignature(obj, key, opts);
  return { ...obj, signatures: withSignature(obj.signatures, serverName, key.keyId, signature) };
}

/** A copy of a `signatures` value with one more signature in it. */
export function withSignature(existing: unknown, serverName: string, keyId: string, signature: string): JsonObject {
  const all: JsonObject = isJsonObject(existing) ? { ...existing } : {};
  const mine = all[serverName];
  all[serverName] = { ...(isJsonObject(mine) ? mine : {}), [keyId]: signature };
  return all;
}
