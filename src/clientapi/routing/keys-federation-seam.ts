/**
 * The federation seam of `/keys/query` and `/keys/claim`: how those routes reach other servers'
 * users. The federationapi provides {@link KeysFederation} (`keys-federation-api.ts`, wired by
 * `keysRoutes` from `ClientRouteDeps.federationApi`); without one, every remote server asked
 * about is reported in `failures` with `{}` — the spec's "could not be reached" — and its users
 * get no keys.
 */
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import { domainOf } from '../../matrix/ids/domain-of.js';

/** What one remote server answered to `/_matrix/federation/v1/user/keys/query`. */
export interface RemoteKeysQueryResult {
  readonly deviceKeys: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly masterKeys: Readonly<Record<string, JsonObject>>;
  readonly selfSigningKeys: Readonly<Record<string, JsonObject>>;
}

/** The federation calls the key routes need; implemented by the federationapi. */
export interface KeysFederation {
  /** Asks `serverName` for its users' keys; throws when the server cannot be reached. */
  queryKeys(serverName: string, deviceKeys: Readonly<Record<string, readonly string[]>>, timeoutMs: number): Promise<RemoteKeysQueryResult>;
  /** Claims keys of `serverName`'s devices; throws when the server cannot be reached. */
  claimKeys(
    serverName: string,
    oneTimeKeys: Readonly<Record<string, Readonly<Record<string, string>>>>,
    timeoutMs: number,
  ): Promise<Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, JsonValue>>>>>>>;
}

/** The spec's recommended wait for remote servers (10 s) when the client gives no `timeout`. */
export const DEFAULT_REMOTE_KEYS_TIMEOUT_MS = 10_000;

/** Splits a `{userId: …}` map into this server's users and the others, grouped by server. */
export function splitByServer<T>(byUser: Readonly<Record<string, T>>, serverName: string): { local: Record<string, T>; remote: Map<string, Record<string, T>> } {
  const local: Record<string, T> = {};
  const remote = new Map<string, Record<string, T>>();
  for (const [userId, value] of Object.entries(byUser)) {
    const server = domainOf(userId);
    // A malformed ID is nobody's: the local path answers it with nothing.
    if (server === undefined || server === serverName) local[userId] = value;
    else {
      const group = remote.get(server) ?? {};
      group[userId] = value;
      remote.set(server, group);
    }
  }
  return { local, remote };
}
