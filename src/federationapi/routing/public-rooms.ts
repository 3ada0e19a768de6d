/**
 * `GET` and `POST /_matrix/federation/v1/publicRooms`: this server's published room directory for
 * another server, the same rooms, order, filters and pagination tokens as the client
 * `/publicRooms` (both are `publicRoomsPage` over the roomserver's published rooms).
 *
 * Third-party networks: no application service publishes rooms into a network's directory
 * here, so asking for one network (`third_party_instance_id` without `include_all_networks`)
 * finds no rooms, and `include_all_networks` finds the main directory. Naming a network together
 * with `include_all_networks` is a contradiction the spec forbids: 400 M_INVALID_PARAM.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { PublicRoomsBody, publicRoomsQueryOfBody } from '../../internal/roomsummary/public-rooms-body.js';
import { publicRoomsPage, type PublicRoomsQuery, type PublicRoomsResponse } from '../../internal/roomsummary/public-rooms-page.js';
import type { DirectoryRoutesDeps } from './directory-routes-deps.js';

const PATH = '/_matrix/federation/v1/publicRooms';

const GetQuery = Type.Object({
  limit: Type.Optional(Type.Integer()),
  since: Type.Optional(Type.String()),
  include_all_networks: Type.Optional(Type.Boolean()),
  third_party_instance_id: Type.Optional(Type.String()),
});

/** Which directory a request names. */
interface Networks {
  readonly include_all_networks?: boolean;
  readonly third_party_instance_id?: string;
}

/** The two routes. */
export function publicRoomsRoutes(deps: DirectoryRoutesDeps): AnyRoute[] {
  const listing = async (networks: Networks, q: PublicRoomsQuery): Promise<PublicRoomsResponse> => {
    const all = networks.include_all_networks === true;
    if (all && networks.third_party_instance_id !== undefined) {
      throw MatrixError.invalidParam('third_party_instance_id cannot be used with include_all_networks');
    }
    // A network's empty list still goes through the page: a bad `since` is refused there too.
    const { rooms } = networks.third_party_instance_id !== undefined ? { rooms: [] } : await deps.roomserverApi.queryPublicRoomsSummaries({});
    return publicRoomsPage(rooms, q);
  };
  return [
    defineRoute({
      method: 'GET',
      path: PATH,
      auth: 'federation',
      rateLimit: 'default',
      schema: { query: GetQuery },
      handler: ({ query }) => listing(query, { limit: query.limit, since: query.since }),
    }),
    defineRoute({
      method: 'POST',
      path: PATH,
      auth: 'federation',
      rateLimit: 'default',
      schema: { body: PublicRoomsBody },
      handler: ({ body }) => listing(body, publicRoomsQueryOfBody(body)),
    }),
  ];
}
