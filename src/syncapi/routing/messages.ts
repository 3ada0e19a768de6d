/**
 * `GET /_matrix/client/v3/rooms/{roomId}/messages`: the route descriptor (the work is in
 * `history/perform-messages.ts`). Guests may call it (the spec's guest list has it); `dir` is
 * required, as the spec says. Stored events are written unparsed (`raw-json-reply.ts`).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { resolveRoomEventFilter } from '../filter/index.js';
import type { HistoryDeps } from '../history/history-access.js';
import { messagesLimit, performMessages } from '../history/perform-messages.js';
import { replyWithRawJson } from './raw-json-reply.js';

const MessagesParams = Type.Object({ roomId: Type.String() });
const MessagesQuery = Type.Object({
  dir: Type.Union([Type.Literal('b'), Type.Literal('f')]),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer()),
  filter: Type.Optional(Type.String()),
});

/** The `/messages` route. */
export function messagesRoutes(deps: HistoryDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/rooms/:roomId/messages',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: MessagesParams, query: MessagesQuery },
      handler: async ({ params, query, requester, reply }) => {
        const res = await performMessages(deps, {
          roomId: params.roomId,
          requester: { userId: requester!.userId, deviceId: requester!.deviceId },
          dir: query.dir,
          from: query.from,
          to: query.to,
          limit: messagesLimit(query.limit),
          filter: resolveRoomEventFilter(query.filter),
        });
        return replyWithRawJson(reply, res);
      },
    }),
  ];
}
