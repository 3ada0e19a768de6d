/**
 * This server's own keys: what `GET /_matrix/key/v2/server` publishes, and what the key ring
 * answers for our own server name without storage or network.
 */
import type { JsonObject } from '../../matrix/json.js';
import { buildServerKeys, type OldVerifyKey } from '../../matrix/server-keys.js';
import type { SigningKey } from '../../matrix/signing-key.js';
import type { StoredServerKey } from '../storage/index.js';

/**
 * How long other servers may use our keys before refetching: 7 days, the most room version 5
 * lets them trust a response anyway. A shorter period would spread a key change (rotation after
 * a leak) faster at the cost of more fetches; Dendrite uses 7 days too, Synapse 1 day.
 */
export const DEFAULT_KEY_VALIDITY_PERIOD_MS = 7 * 24 * 60 * 60 * 1000;

/** Our keys. */
export interface OurKeys {
  /** The keys in use; all of them sign our responses. */
  readonly signingKeys: readonly SigningKey[];
  /** Keys no longer used, published so events they signed still verify. */
  readonly oldKeys?: readonly OldVerifyKey[];
  /** `valid_until_ts` is now plus this (default {@link DEFAULT_KEY_VALIDITY_PERIOD_MS}). */
  readonly validityPeriodMs?: number;
}

/** Our `/_matrix/key/v2/server` body, signed by every current key, valid from `now`. */
export function buildOurServerKeys(serverName: string, ours: OurKeys, now: number): JsonObject {
  return buildServerKeys({
    serverName,
    signingKeys: ours.signingKeys,
    oldKeys: ours.oldKeys ?? [],
    validUntilTs: now + (ours.validityPeriodMs ?? DEFAULT_KEY_VALIDITY_PERIOD_MS),
  });
}

/** One of our keys as if freshly fetched now, or undefined if we have no such key. */
export function ourServerKey(serverName: string, ours: OurKeys, keyId: string, now: number): StoredServerKey | undefined {
  const validUntilTs = now + (ours.validityPeriodMs ?? DEFAULT_KEY_VALIDITY_PERIOD_MS);
  const current = ours.signingKeys.find((k) => k.keyId === keyId);
  if (current) return { serverName, keyId, publicKey: current.publicKeyBase64, validUntilTs, expiredTs: undefined, fetchedAt: now };
  const old = ours.oldKeys?.find((k) => k.keyId === keyId);
  if (old) return { serverName, keyId, publicKey: old.key, validUntilTs, expiredTs: old.expiredTs, fetchedAt: now };
  return undefined;
}
