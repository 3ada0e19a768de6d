/** What the federation directory routes (`/publicRooms`, `/hierarchy`, `/openid/userinfo`) need. */
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { ClientUserAPI } from '../../userapi/api.js';

/** The roomserver calls the published room list and the space hierarchy make. */
export type DirectoryRoomserverAPI = Pick<ClientRoomserverAPI, 'queryPublicRoomsSummaries' | 'queryRoomSummaries' | 'queryJoinedServers'>;

/** The userapi call `/openid/userinfo` makes. */
export type DirectoryUserAPI = Pick<ClientUserAPI, 'queryOpenIdToken'>;

export interface DirectoryRoutesDeps {
  readonly roomserverApi: DirectoryRoomserverAPI;
  readonly userApi: DirectoryUserAPI;
}
