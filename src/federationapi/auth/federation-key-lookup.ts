/**
 * What request verification needs of the key ring: the public key an origin server signs with.
 * Fetching, caching and validity periods (`valid_until_ts`, `old_verify_keys`' `expired_ts`)
 * are the key ring's business; this is the one question verification asks it.
 */

/** Looks up another server's public signing keys. */
export interface FederationKeyLookup {
  /**
   * The unpadded base64 Ed25519 public key `keyId` of `serverName`, if it is known (fetched when
   * needed) and valid at `opts.atTs` (ms since the epoch); `undefined` otherwise. May reject
   * when the key could not be fetched; callers treat that as an unknown key.
   */
  verifyKey(serverName: string, keyId: string, opts: { readonly atTs: number }): Promise<string | undefined>;
}
