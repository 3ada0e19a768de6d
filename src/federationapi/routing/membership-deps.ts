/**
 * What the inbound membership routes (`make_join`/`send_join`, `make_leave`/`send_leave`,
 * `make_knock`/`send_knock`, `invite`) need: the roomserver's templates, input and reads, and
 * our server's name and signing key (we co-sign restricted joins and invites).
 */
import type { SigningKey } from '../../matrix/signing-key.js';
import type { RoomserverAPI } from '../../roomserver/api.js';

/** The roomserver calls the membership routes make. */
export type MembershipRoomserverAPI = Pick<
  RoomserverAPI,
  | 'queryRoomInfo'
  | 'queryState'
  | 'queryEvents'
  | 'queryMembership'
  | 'queryMembers'
  | 'queryEventTemplate'
  | 'inputRoomEvents'
  | 'queryStateBeforeEvent'
  | 'queryAuthChain'
  | 'performReceiveInvite'
>;

export interface MembershipRoutesDeps {
  /** Our server name: the `origin` of `send_join` answers, the signer of what we co-sign. */
  readonly serverName: string;
  /** Our current signing key. */
  readonly signingKey: SigningKey;
  readonly membershipRoomserverApi: MembershipRoomserverAPI;
}
