/**
 * `GET /_matrix/client/v1/rooms/{roomId}/threads`: the route descriptor (the work is in
 * `relations/perform-threads.ts`). Guests are not on the spec's list. Stored events are written
 * unparsed (`raw-json-reply.ts`).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { HistoryDeps } from '../history/history-access.js';
import { performThreads, threadsLimit } from '../relations/perform-threads.js';
import { replyWithRawJson } from './raw-json-reply.js';

const ThreadsParams = Type.Object({ roomId: Type.String() });
const ThreadsQuery = Type.Object({
  include: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('participated')])),
  from: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer()),
});

/** The `/threads` route. */
export function threadsRoutes(deps: HistoryDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v1/rooms/:roomId/threads',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: ThreadsParams, query: ThreadsQuery },
      handler: async ({ params, query, requester, reply }) => {
        const res = await performThreads(deps, {
          roomId: params.roomId,
          requester: { userId: requester!.userId, deviceId: requester!.deviceId },
          include: query.include ?? 'all',
          from: query.from,
          limit: threadsLimit(query.limit),
        });
        return replyWithRawJson(reply, res);
      },
    }),
  ];
}
