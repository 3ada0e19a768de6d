/**
 * The shared shape of `make_join`, `make_leave` and `make_knock`
 * (`GET /_matrix/federation/v1/make_{membership}/{roomId}/{userId}?ver=…`): the user must belong
 * to the asking server, the room must be one we are in (in a version the asker supports, when
 * the route checks), and the answer is the roomserver's template of the user's member event on
 * the room's current head (`queryEventTemplate`), which fails with 403 when the auth rules
 * already refuse it (a banned user's join, a leave of someone not in the room, a knock on a
 * room that does not allow it).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { requireMembershipRoom, requireUserOfOrigin } from './membership-room-access.js';

/** What the `make_*` routes answer. */
export interface MembershipTemplate {
  readonly room_version: string;
  readonly event: JsonObject;
}

/** How one `make_*` route differs from the others. */
export interface MakeMembership {
  /** The membership of the template, and the route's path segment (`make_${membership}`). */
  readonly membership: 'join' | 'leave' | 'knock';
  /**
   * The room versions the asker supports, from the `ver` query parameters; undefined when the
   * route does not check. Called first, so it may refuse a missing `ver` before anything else.
   */
  supported(ver: readonly string[] | undefined): readonly string[] | undefined;
  /** The template's content besides `membership`, once the room passed its checks; may refuse. */
  content(rv: RoomVersion, roomId: string, userId: string): Promise<JsonObject>;
}

/** The `make_${membership}` route. */
export function makeMembershipRoute(deps: MembershipRoutesDeps, m: MakeMembership): AnyRoute {
  const api = deps.membershipRoomserverApi;
  return defineRoute({
    method: 'GET',
    path: `/_matrix/federation/v1/make_${m.membership}/:roomId/:userId`,
    auth: 'federation',
    rateLimit: 'default',
    schema: {
      params: Type.Object({ roomId: Type.String(), userId: Type.String() }),
      query: Type.Object({ ver: Type.Optional(Type.Array(Type.String())) }),
    },
    handler: async ({ params, query, origin }): Promise<MembershipTemplate> => {
      const supported = m.supported(query.ver);
      const asker = origin!.serverName;
      requireUserOfOrigin(params.userId, asker);
      const rv = await requireMembershipRoom(api, asker, params.roomId, supported);
      const content = { membership: m.membership, ...(await m.content(rv, params.roomId, params.userId)) };
      const { roomVersion, event } = await api.queryEventTemplate({
        roomId: params.roomId,
        proto: { type: 'm.room.member', stateKey: params.userId, sender: params.userId, content },
      });
      return { room_version: roomVersion, event };
    },
  });
}
