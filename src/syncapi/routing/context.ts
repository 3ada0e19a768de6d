/**
 * `GET /_matrix/client/v3/rooms/{roomId}/context/{eventId}`: the route descriptor (the work is
 * in `history/perform-context.ts`). Guests may call it (the spec's guest list has it). Stored
 * events are written unparsed (`raw-json-reply.ts`).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { resolveRoomEventFilter } from '../filter/index.js';
import type { HistoryDeps } from '../history/history-access.js';
import { performContext } from '../history/perform-context.js';
import { messagesLimit } from '../history/perform-messages.js';
import { replyWithRawJson } from './raw-json-reply.js';

const ContextParams = Type.Object({ roomId: Type.String(), eventId: Type.String() });
const ContextQuery = Type.Object({
  limit: Type.Optional(Type.Integer()),
  filter: Type.Optional(Type.String()),
});

/** The `/context` route. */
export function contextRoutes(deps: HistoryDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/rooms/:roomId/context/:eventId',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: ContextParams, query: ContextQuery },
      handler: async ({ params, query, requester, reply }) => {
        const res = await performContext(deps, {
          roomId: params.roomId,
          eventId: params.eventId,
          requester: { userId: requester!.userId, deviceId: requester!.deviceId },
          // The same default (10) and cap as `/messages`.
          limit: messagesLimit(query.limit),
          filter: resolveRoomEventFilter(query.filter),
        });
        return replyWithRawJson(reply, res);
      },
    }),
  ];
}
