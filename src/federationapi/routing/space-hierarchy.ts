/**
 * `GET /_matrix/federation/v1/hierarchy/{roomId}?suggested_only=`: a space and its children as
 * another server may see them, for that server to walk the space for its users. Unlike the client
 * endpoint nothing is paginated or walked: only the room asked and its direct children.
 *
 * - Who may see what is the rule the client `/hierarchy` uses (`mayViewSummary`), with the asking
 *   server as the viewer: in a room when it has joined members there, in a restricted room's
 *   allowed room likewise.
 * - The room asked must be visible: otherwise 404 M_NOT_FOUND, as for a room unknown here (the
 *   spec's answer for both, which also keeps the existence of private rooms to ourselves).
 * - Children are the valid `m.space.child` events (`spaceChildren`, only suggested ones when
 *   asked), at most {@link MAX_CHILDREN} in the spec's order. A child we have no state for is left
 *   out; one we know but the server may not see is listed in `inaccessible_children`.
 * - Each child's `children_state` (its own children, if a space) is included, as in the spec's
 *   example, sparing the asker a request per subspace it walks into.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { roomSummaryJson, strippedChildStateJson } from '../../internal/roomsummary/room-summary-json.js';
import { spaceChildren } from '../../internal/roomsummary/space-children.js';
import { mayViewSummary, type SummaryViewer } from '../../internal/roomsummary/summary-visibility.js';
import type { JsonObject } from '../../matrix/json.js';
import { parseRoomId } from '../../matrix/ids/room-id.js';
import type { RoomSummary } from '../../roomserver/api.js';
import type { DirectoryRoomserverAPI, DirectoryRoutesDeps } from './directory-routes-deps.js';

/** Children summarised per request, at most: the answer's cost is bounded whatever the space's size. */
export const MAX_CHILDREN = 100;

/** The route. */
export function spaceHierarchyRoutes(deps: DirectoryRoutesDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/hierarchy/:roomId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }), query: Type.Object({ suggested_only: Type.Optional(Type.Boolean()) }) },
      handler: async ({ params, query, origin }) => {
        if (!parseRoomId(params.roomId).ok) throw MatrixError.invalidParam(`Invalid room ID ${params.roomId}`);
        const suggestedOnly = query.suggested_only ?? false;
        const viewer = serverViewer(rs, origin!.serverName);
        const [room] = (await rs.queryRoomSummaries({ roomIds: [params.roomId] })).rooms;
        if (!room || !(await mayViewSummary(room, viewer.of(room.roomId)))) throw MatrixError.notFound('Room does not exist, or you may not see it');
        const childrenState = spaceChildren(room.childrenState, suggestedOnly);
        const childIds = [...new Set(childrenState.map((c) => c.stateKey))].slice(0, MAX_CHILDREN);
        const known = childIds.length === 0 ? [] : (await rs.queryRoomSummaries({ roomIds: childIds })).rooms;
        const children: JsonObject[] = [];
        const inaccessible: string[] = [];
        for (const child of known) {
          if (await mayViewSummary(child, viewer.of(child.roomId))) children.push(summaryWithChildren(child, suggestedOnly));
          else inaccessible.push(child.roomId);
        }
        return {
          room: { ...roomSummaryJson(room), children_state: childrenState.map(strippedChildStateJson) },
          children,
          inaccessible_children: inaccessible,
        };
      },
    }),
  ];
}

function summaryWithChildren(room: RoomSummary, suggestedOnly: boolean): JsonObject {
  return { ...roomSummaryJson(room), children_state: spaceChildren(room.childrenState, suggestedOnly).map(strippedChildStateJson) };
}

/**
 * The asking server as a {@link SummaryViewer}: in a room when it has joined members there. The
 * joined servers of a room are asked at most once per request (an allowed room is often the
 * space itself, asked again for each restricted child).
 */
function serverViewer(rs: DirectoryRoomserverAPI, serverName: string): { of(roomId: string): SummaryViewer } {
  const asked = new Map<string, Promise<boolean>>();
  const isIn = (roomId: string): Promise<boolean> => {
    let found = asked.get(roomId);
    if (!found) {
      found = rs.queryJoinedServers({ roomId }).then((r) => r.serverNames.includes(serverName));
      asked.set(roomId, found);
    }
    return found;
  };
  return {
    of: (roomId) => ({
      isInRoom: () => isIn(roomId),
      isInAnyOf: async (roomIds) => {
        for (const id of roomIds) if (await isIn(id)) return true;
        return false;
      },
    }),
  };
}
