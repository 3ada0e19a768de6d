/**
 * How the key ring reaches other servers. The outbound federation client implements it; tests
 * implement it over plain HTTP against real servers. Both methods throw when the request fails
 * (unreachable, non-200, not JSON); the key ring checks everything they return.
 */
import type { JsonObject } from '../../matrix/json.js';

/** The two requests the key ring makes. */
export interface KeyTransport {
  /** `GET /_matrix/key/v2/server` of `serverName`: its response body, unchecked. */
  fetchServerKeys(serverName: string): Promise<JsonObject>;
  /**
   * Asks the notary `notary` for `serverName`'s keys valid until at least
   * `minimumValidUntilTs` (`/_matrix/key/v2/query`): the `server_keys` array of its response,
   * unchecked.
   */
  queryNotary(notary: string, serverName: string, minimumValidUntilTs: number): Promise<JsonObject[]>;
}

/**
 * The transport of a process with no outbound federation: every request fails, so only keys
 * already stored (and our own) are found.
 */
export const NO_KEY_TRANSPORT: KeyTransport = {
  fetchServerKeys: (serverName) => Promise.reject(new Error(`no outbound federation: cannot fetch keys of ${serverName}`)),
  queryNotary: (notary) => Promise.reject(new Error(`no outbound federation: cannot query notary ${notary}`)),
};
