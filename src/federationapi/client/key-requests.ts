/**
 * The two key requests the key ring makes (spec "Retrieving server keys"): a server's own keys,
 * fetched unsigned (we may not have its keys yet, and it may not have ours), and a batch query to
 * a notary, which returns keys it re-signed.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { FederationRequestError } from './federation-request-error.js';
import type { FederationRequest } from './federation-client.js';

/** What the key ring needs from the network. */
export interface KeyRequests {
  /** `GET /_matrix/key/v2/server` on `serverName`, unsigned; the response object, unverified. */
  fetchServerKeys(serverName: string): Promise<JsonObject>;
  /**
   * `POST /_matrix/key/v2/query` to `notary` for `serverName`'s keys; the `server_keys` array,
   * unverified. With `keyIds`, each is asked valid until `minimumValidUntilTs`; without, the
   * notary is asked for all keys, and the spec gives no way to pass the minimum then (it uses now).
   */
  queryNotary(notary: string, serverName: string, minimumValidUntilTs: number, keyIds?: readonly string[]): Promise<JsonObject[]>;
}

/** Key responses are small; this keeps a hostile server from sending much. */
const MAX_KEY_RESPONSE_BYTES = 1024 * 1024;

type RequestFn = <T>(req: FederationRequest) => Promise<T>;

/** The key requests, over the client's `request`. */
export function createKeyRequests(request: RequestFn): KeyRequests {
  return {
    async fetchServerKeys(serverName) {
      const res = await request<unknown>({
        destination: serverName,
        method: 'GET',
        path: '/_matrix/key/v2/server',
        signed: false,
        maxResponseBytes: MAX_KEY_RESPONSE_BYTES,
      });
      if (!isJsonObject(res)) throw new FederationRequestError({ destination: serverName, kind: 'bad_response', message: 'the key response is not a JSON object' });
      return res;
    },
    async queryNotary(notary, serverName, minimumValidUntilTs, keyIds) {
      const criteria: JsonObject = {};
      for (const keyId of keyIds ?? []) criteria[keyId] = { minimum_valid_until_ts: minimumValidUntilTs };
      const res = await request<unknown>({
        destination: notary,
        method: 'POST',
        path: '/_matrix/key/v2/query',
        body: { server_keys: { [serverName]: criteria } },
        maxResponseBytes: MAX_KEY_RESPONSE_BYTES,
      });
      const list = isJsonObject(res) ? res.server_keys : undefined;
      if (!Array.isArray(list)) throw new FederationRequestError({ destination: notary, kind: 'bad_response', message: 'the notary response has no server_keys array' });
      return list.filter(isJsonObject);
    },
  };
}
