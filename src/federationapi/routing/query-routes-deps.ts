/** What the federation query routes (`/_matrix/federation/v1/query/…`) need. */
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { FederationUserAPI } from '../../userapi/api.js';

/** The roomserver calls a directory query makes. */
export type QueryRoomserverAPI = Pick<ClientRoomserverAPI, 'queryRoomAlias' | 'queryJoinedServers'>;

/** The userapi calls a profile query makes. */
export type QueryUserAPI = Pick<FederationUserAPI, 'queryProfile'>;

export interface QueryRoutesDeps {
  /** Our server name: only our users and aliases are answered for. */
  readonly serverName: string;
  readonly userApi: QueryUserAPI;
  readonly roomserverApi: QueryRoomserverAPI;
}
