/**
 * `GET /_matrix/client/v1/rooms/{roomId}/hierarchy`: a page of the space tree under a room, each
 * room as its `RoomSummary` plus its `m.space.child` events. The walk is `space-hierarchy-walk.ts`,
 * who may see what is `room-summary-access.ts`, and where summaries come from (this server only,
 * until federation) is `room-summary-source.ts`.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { RoomSummary } from '../../roomserver/api.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { joinedRoomsOnce, mayViewRoom } from './room-summary-access.js';
import { roomSummaryJson, strippedChildStateJson } from '../../internal/roomsummary/room-summary-json.js';
import { localRoomSummaries, type RoomSummarySource } from './room-summary-source.js';
import { decodeHierarchyToken, encodeHierarchyToken } from './space-hierarchy-token.js';
import { walkSpaceHierarchy, type HierarchyRoom } from './space-hierarchy-walk.js';

/** Rooms per page when the client names no `limit`, and the most it may ask for. */
export const DEFAULT_HIERARCHY_LIMIT = 50;
export const MAX_HIERARCHY_LIMIT = 100;
/** The depth walked when the client names no `max_depth`, and the most it may ask for. */
export const MAX_HIERARCHY_DEPTH = 50;

const HierarchyQuery = Type.Object({
  from: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer()),
  max_depth: Type.Optional(Type.Integer()),
  suggested_only: Type.Optional(Type.Boolean()),
});

interface SummaryNode extends HierarchyRoom {
  readonly summary: RoomSummary;
}

/** What a request asks of the walk, checked and with defaults applied. */
interface HierarchyRequest {
  readonly limit: number;
  readonly maxDepth: number;
  readonly suggestedOnly: boolean;
  readonly skip: number;
}

export function spaceHierarchyRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  const source: RoomSummarySource = localRoomSummaries(rs);
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v1/rooms/:roomId/hierarchy',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }), query: HierarchyQuery },
      handler: async ({ params, query, requester }) => {
        checkRoomIdParam(params.roomId);
        const req = hierarchyRequest(params.roomId, query);
        const userId = requester!.userId;
        const joinedRooms = joinedRoomsOnce(rs, userId);
        const page = await walkSpaceHierarchy<SummaryNode>({
          rootId: params.roomId,
          ...req,
          load: async (refs) => {
            const out = new Map<string, SummaryNode>();
            for (const summary of (await source(refs, userId)).values()) {
              out.set(summary.roomId, { roomId: summary.roomId, visible: await mayViewRoom(summary, joinedRooms), childrenState: summary.childrenState, summary });
            }
            return out;
          },
        });
        if (!page.rootVisible) throw MatrixError.forbidden(`You may not view the room ${params.roomId}, or it is unknown here`);
        const next = page.next === undefined ? undefined : encodeHierarchyToken({ rootId: params.roomId, maxDepth: req.maxDepth, suggestedOnly: req.suggestedOnly, position: page.next });
        return {
          rooms: page.rooms.map(({ room, children }) => ({ ...roomSummaryJson(room.summary), children_state: children.map(strippedChildStateJson) })),
          ...(next !== undefined ? { next_batch: next } : {}),
        };
      },
    }),
  ];
}

/**
 * The request's parameters. Limits above the maximum are lowered to it rather than refused.
 * @throws MatrixError 400 M_INVALID_PARAM for a limit below 1, a negative depth, a token that is
 *   not ours, or one issued for another room, depth or `suggested_only`.
 */
function hierarchyRequest(roomId: string, q: { from?: string; limit?: number; max_depth?: number; suggested_only?: boolean }): HierarchyRequest {
  if (q.limit !== undefined && q.limit < 1) throw MatrixError.invalidParam('limit must be greater than zero');
  if (q.max_depth !== undefined && q.max_depth < 0) throw MatrixError.invalidParam('max_depth must not be negative');
  const limit = Math.min(q.limit ?? DEFAULT_HIERARCHY_LIMIT, MAX_HIERARCHY_LIMIT);
  const maxDepth = Math.min(q.max_depth ?? MAX_HIERARCHY_DEPTH, MAX_HIERARCHY_DEPTH);
  const suggestedOnly = q.suggested_only ?? false;
  if (q.from === undefined) return { limit, maxDepth, suggestedOnly, skip: 0 };
  const token = decodeHierarchyToken(q.from);
  if (!token) throw MatrixError.invalidParam(`Unknown pagination token ${q.from}`);
  if (token.rootId !== roomId) throw MatrixError.invalidParam('The pagination token is for another room');
  if (token.maxDepth !== maxDepth || token.suggestedOnly !== suggestedOnly) {
    throw MatrixError.invalidParam('suggested_only and max_depth cannot change on paginated requests');
  }
  return { limit, maxDepth, suggestedOnly, skip: token.position };
}
