/**
 * The server keys object of `GET /_matrix/key/v2/server` (also what notaries return from
 * `/_matrix/key/v2/query`): building our own, signed, and checking one from another server.
 */
import { tryDecodeBase64 } from './base64.js';
import { isJsonObject, type JsonObject } from './json.js';
import { signJson } from './sign-json.js';
import type { SigningKey } from './signing-key.js';
import { verifyJsonSignature } from './verify-json.js';

/** A key the server no longer uses, still published so old events verify. */
export interface OldVerifyKey {
  /** `ed25519:<version>`. */
  readonly keyId: string;
  /** Unpadded base64 public key. */
  readonly key: string;
  /** When the key stopped being used (ms since the epoch). */
  readonly expiredTs: number;
}

/** What {@link buildServerKeys} publishes. */
export interface ServerKeysInput {
  readonly serverName: string;
  /** The keys in use; all of them sign the response. */
  readonly signingKeys: readonly SigningKey[];
  readonly oldKeys?: readonly OldVerifyKey[];
  /** When other servers should refetch (ms since the epoch). */
  readonly validUntilTs: number;
}

/** A checked server keys response. */
export interface ServerKeys {
  readonly serverName: string;
  /** Key ID → unpadded base64 public key, for the supported (ed25519) keys. */
  readonly verifyKeys: ReadonlyMap<string, string>;
  readonly oldVerifyKeys: ReadonlyMap<string, { readonly key: string; readonly expiredTs: number }>;
  readonly validUntilTs: number;
  /** The response as received, for caching and re-serving by a notary. */
  readonly json: JsonObject;
}

/** Outcome of {@link parseServerKeys}. */
export type ParseServerKeysResult =
  | { readonly ok: true; readonly keys: ServerKeys }
  | { readonly ok: false; readonly reason: string };

/** The spec caps how long a published key may be trusted without refetching (v5+). */
export const MAX_KEY_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/** Builds and signs the `/_matrix/key/v2/server` response body. */
export function buildServerKeys(input: ServerKeysInput): JsonObject {
  const verifyKeys: JsonObject = {};
  for (const k of input.signingKeys) verifyKeys[k.keyId] = { key: k.publicKeyBase64 };
  const oldVerifyKeys: JsonObject = {};
  for (const k of input.oldKeys ?? []) oldVerifyKeys[k.keyId] = { key: k.key, expired_ts: k.expiredTs };
  let body: JsonObject = {
    server_name: input.serverName,
    verify_keys: verifyKeys,
    old_verify_keys: oldVerifyKeys,
    valid_until_ts: input.validUntilTs,
  };
  for (const k of input.signingKeys) body = signJson(body, input.serverName, k);
  return body;
}

/** Whether a key ID names an algorithm we can verify. Others are skipped, not errors. */
function isSupportedKeyId(keyId: string): boolean {
  return keyId.startsWith('ed25519:') && keyId.length > 'ed25519:'.length;
}

function isPublicKey(v: unknown): v is string {
  return typeof v === 'string' && tryDecodeBase64(v)?.length === 32;
}

type Fail = { readonly ok: false; readonly reason: string };
const fail = (reason: string): Fail => ({ ok: false, reason });

function readVerifyKeys(v: unknown): Map<string, string> | Fail {
  if (!isJsonObject(v)) return fail('verify_keys is not an object');
  const out = new Map<string, string>();
  for (const [keyId, entry] of Object.entries(v)) {
    if (!isSupportedKeyId(keyId)) continue;
    if (!isJsonObject(entry) || !isPublicKey(entry.key)) return fail(`verify_keys.${keyId} has no valid key`);
    out.set(keyId, entry.key);
  }
  return out;
}

function readOldVerifyKeys(v: unknown): Map<string, { key: string; expiredTs: number }> | Fail {
  const out = new Map<string, { key: string; expiredTs: number }>();
  if (v === undefined) return out;
  if (!isJsonObject(v)) return fail('old_verify_keys is not an object');
  for (const [keyId, entry] of Object.entries(v)) {
    if (!isSupportedKeyId(keyId)) continue;
    if (!isJsonObject(entry) || !isPublicKey(entry.key)) return fail(`old_verify_keys.${keyId} has no valid key`);
    if (!Number.isInteger(entry.expired_ts)) return fail(`old_verify_keys.${keyId}.expired_ts is not an integer`);
    out.set(keyId, { key: entry.key, expiredTs: entry.expired_ts as number });
  }
  return out;
}

/**
 * Validates a server keys object and its self-signatures: every signature by `server_name`
 * made with a key listed in `verify_keys` must verify, and there must be at least one. (A
 * signature with an unlisted key is skipped: notaries may sign with keys of their own.)
 *
 * @param expectedServerName the server we asked about; a response naming another is refused.
 */
export function parseServerKeys(json: unknown, expectedServerName?: string): ParseServerKeysResult {
  if (!isJsonObject(json)) return fail('not a JSON object');
  const serverName = json.server_name;
  if (typeof serverName !== 'string') return fail('server_name is missing');
  if (expectedServerName !== undefined && serverName !== expectedServerName) {
    return fail(`server_name is ${serverName}, expected ${expectedServerName}`);
  }
  if (!Number.isSafeInteger(json.valid_until_ts)) return fail('valid_until_ts is not an integer');
  const verifyKeys = readVerifyKeys(json.verify_keys);
  if (!(verifyKeys instanceof Map)) return verifyKeys;
  const oldVerifyKeys = readOldVerifyKeys(json.old_verify_keys);
  if (!(oldVerifyKeys instanceof Map)) return oldVerifyKeys;

  const signatures = isJsonObject(json.signatures) ? json.signatures[serverName] : undefined;
  if (!isJsonObject(signatures)) return fail(`not signed by ${serverName}`);
  let verified = 0;
  for (const keyId of Object.keys(signatures)) {
    const key = verifyKeys.get(keyId);
    if (key === undefined) continue;
    const result = verifyJsonSignature(json, serverName, keyId, key);
    if (!result.ok) return result;
    verified++;
  }
  if (verified === 0) return fail(`not signed by any of ${serverName}'s verify_keys`);
  return {
    ok: true,
    keys: { serverName, verifyKeys, oldVerifyKeys, validUntilTs: json.valid_until_ts as number, json },
  };
}

/**
 * Until when a fetched key may be used to check events of v5+ rooms: the lesser of
 * `valid_until_ts` and seven days after it was fetched (spec: v5 signing requirements).
 */
export function effectiveValidUntil(validUntilTs: number, fetchedAtMs: number): number {
  return Math.min(validUntilTs, fetchedAtMs + MAX_KEY_VALIDITY_MS);
}
