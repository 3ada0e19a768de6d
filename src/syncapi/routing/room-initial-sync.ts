/**
 * `GET /_matrix/client/v3/rooms/{roomId}/initialSync`: the route descriptor (the work is in
 * `legacy/perform-room-initial-sync.ts`). The spec keeps it, undeprecated, for peeking into
 * world-readable rooms; guests may call it. `limit` as for `/initialSync` (Synapse reads it here
 * too, though the spec names no parameter).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT } from '../filter/index.js';
import type { LegacyDeps } from '../legacy/legacy-deps.js';
import { replyWithRawJson } from './raw-json-reply.js';
import { legacyLimit } from '../legacy/legacy-limit.js';
import { performRoomInitialSync } from '../legacy/perform-room-initial-sync.js';

/** The room `/initialSync` route. */
export function roomInitialSyncRoutes(deps: LegacyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/rooms/:roomId/initialSync',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }), query: Type.Object({ limit: Type.Optional(Type.Integer()) }) },
      handler: async ({ params, query, requester, reply }) => {
        const limit = legacyLimit(query.limit, DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT);
        const res = await performRoomInitialSync(deps, { userId: requester!.userId, deviceId: requester!.deviceId }, params.roomId, limit);
        return replyWithRawJson(reply, res);
      },
    }),
  ];
}
