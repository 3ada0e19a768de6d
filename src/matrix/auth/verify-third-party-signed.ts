/**
 * Rule "any signature in `signed` matches any public key in the `m.room.third_party_invite`
 * event": an ed25519 check of the identity server's signature over the `signed` block of an
 * invite's `third_party_invite`, using the shared canonical-JSON and signature code.
 */
import { decodeBase64Url, tryDecodeBase64 } from '../base64.js';
import { canonicalJson } from '../canonical-json.js';
import type { JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { UNSIGNED_KEYS } from '../sign-json.js';
import { verifyCanonical } from '../verify-json.js';

/** The public keys of an `m.room.third_party_invite` content: `public_key` and `public_keys[].public_key`. */
export function thirdPartyInvitePublicKeys(content: JsonObject): string[] {
  const keys: string[] = [];
  if (typeof content.public_key === 'string') keys.push(content.public_key);
  if (Array.isArray(content.public_keys)) {
    for (const entry of content.public_keys) {
      if (isJsonObject(entry) && typeof entry.public_key === 'string') keys.push(entry.public_key);
    }
  }
  return keys;
}

/**
 * Whether any signature in `signed.signatures` (any server, any key ID) verifies against any of
 * `publicKeys` (unpadded base64, standard or URL-safe alphabet) over the canonical JSON of
 * `signed` without `signatures` and `unsigned`. Malformed input is simply "no match".
 */
export function signedBlockMatchesAnyKey(signed: JsonObject, publicKeys: readonly string[]): boolean {
  const sigs = signed.signatures;
  if (!isJsonObject(sigs)) return false;
  let text: string;
  try {
    // The block holds only strings in practice; lenient mode just avoids refusing odd numbers.
    text = canonicalJson(signed, { strict: false, omitKeys: UNSIGNED_KEYS });
  } catch {
    return false;
  }
  const keys = publicKeys.map(decodeKey).filter((k): k is Buffer => k?.length === 32);
  for (const byKeyId of Object.values(sigs)) {
    if (!isJsonObject(byKeyId)) continue;
    for (const [keyId, sig] of Object.entries(byKeyId)) {
      if (typeof sig !== 'string') continue;
      if (keys.some((key) => verifyCanonical(text, sig, key, keyId).ok)) return true;
    }
  }
  return false;
}

function decodeKey(b64: string): Buffer | undefined {
  const standard = tryDecodeBase64(b64);
  if (standard) return standard;
  try {
    return decodeBase64Url(b64);
  } catch {
    return undefined;
  }
}
