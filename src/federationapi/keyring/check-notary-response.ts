/**
 * Checking one server keys object a notary returned: the notary must have signed it with a key
 * we were configured with, and the origin must have signed it itself (a notary vouches for what
 * it saw, it cannot make keys up). Signatures of anyone else are dropped before storing, so we
 * later re-serve exactly what the origin signed.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseServerKeys, type ParseServerKeysResult } from '../../matrix/server-keys.js';
import { verifyJsonSignature } from '../../matrix/verify-json.js';
import type { TrustedKeyServer } from './trusted-key-servers.js';

/**
 * Checks a notary's answer for `serverName`. Every signature the notary made with one of its
 * configured keys must verify, and there must be at least one.
 */
export function checkNotaryResponse(json: unknown, notary: TrustedKeyServer, serverName: string): ParseServerKeysResult {
  if (!isJsonObject(json)) return { ok: false, reason: 'not a JSON object' };
  const byNotary = isJsonObject(json.signatures) ? json.signatures[notary.serverName] : undefined;
  let verified = 0;
  for (const keyId of isJsonObject(byNotary) ? Object.keys(byNotary) : []) {
    const key = notary.verifyKeys.get(keyId);
    if (key === undefined) continue;
    const result = verifyJsonSignature(json, notary.serverName, keyId, key);
    if (!result.ok) return result;
    verified++;
  }
  if (verified === 0) return { ok: false, reason: `not signed by notary ${notary.serverName} with a configured key` };
  const parsed = parseServerKeys(json, serverName);
  if (!parsed.ok) return parsed;
  return { ok: true, keys: { ...parsed.keys, json: originSignedOnly(parsed.keys.json, serverName) } };
}

/** A copy keeping only the origin's signatures (signatures are not covered by signing). */
export function originSignedOnly(json: JsonObject, serverName: string): JsonObject {
  const signatures = isJsonObject(json.signatures) ? json.signatures : {};
  const mine = signatures[serverName];
  return { ...json, signatures: mine === undefined ? {} : { [serverName]: mine } };
}
