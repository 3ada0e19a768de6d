/**
 * The federationapi's tables as Kysely sees them. Times are ms since the epoch (BIGINT) on both
 * engines; JSON is stored as TEXT.
 */

/**
 * `federationapi_server_keys`: one row per (server, key ID) we have fetched and checked, current
 * or old, with the whole signed response it came in so a notary can serve it again unchanged.
 */
export interface ServerKeysTable {
  server_name: string;
  /** `ed25519:<version>`. */
  key_id: string;
  /** Unpadded base64 public key. */
  public_key: string;
  /** `valid_until_ts` of the response the key came in (raw, not capped). */
  valid_until_ts: number;
  /** Set when the key was listed in `old_verify_keys`: when the server stopped using it. */
  expired_ts: number | null;
  /** The response as the origin signed it (other notaries' signatures stripped). */
  key_json: string;
  /** When we fetched (or received through a notary) that response. */
  fetched_at: number;
}

/**
 * `federationapi_received_txns`: the answer to each transaction (`PUT /send/{txnId}`) another
 * server sent us, so a retry gets the same answer without being processed again.
 */
export interface ReceivedTransactionsTable {
  origin: string;
  txn_id: string;
  /** The answer as sent (`{"pdus": {…}}`). */
  response_json: string;
  /** When we received (and answered) it, ms since the epoch. */
  received_at: number;
}

/** Every federationapi table, for `typedDb`. */
export interface FederationapiTables {
  federationapi_server_keys: ServerKeysTable;
  federationapi_received_txns: ReceivedTransactionsTable;
}
