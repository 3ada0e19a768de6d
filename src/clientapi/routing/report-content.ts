/**
 * Reporting content to the server's admins: `POST /rooms/{roomId}/report/{eventId}`,
 * `POST /rooms/{roomId}/report` and `POST /users/{userId}/report`. Reports are stored by the
 * roomserver (`performReport`); unknown targets are 404 as the spec documents.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const ReasonBody = Type.Object({ reason: Type.String() });

export function reportContentRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/rooms/:roomId/report/:eventId',
      auth: 'user',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ roomId: Type.String(), eventId: Type.String() }),
        // `score` left the spec in v1.18; older clients still send it, so it is kept when valid.
        body: Type.Object({ reason: Type.Optional(Type.String()), score: Type.Optional(Type.Integer({ minimum: -100, maximum: 0 })) }),
      },
      handler: async ({ params, body, requester }) => {
        checkRoomIdParam(params.roomId);
        await rs.performReport({
          kind: 'event',
          reporterId: requester!.userId,
          roomId: params.roomId,
          eventId: params.eventId,
          reason: body.reason ?? '',
          ...(body.score !== undefined ? { score: body.score } : {}),
        });
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/rooms/:roomId/report',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }), body: ReasonBody },
      handler: async ({ params, body, requester }) => {
        checkRoomIdParam(params.roomId);
        await rs.performReport({ kind: 'room', reporterId: requester!.userId, roomId: params.roomId, reason: body.reason });
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/users/:userId/report',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Type.Object({ userId: Type.String() }), body: ReasonBody },
      handler: async ({ params, body, requester }) => {
        const parsed = parseUserId(params.userId, { allowHistorical: true });
        if (!parsed.ok) throw MatrixError.invalidParam(`${params.userId} is not a valid user ID: ${parsed.reason}`);
        // Only our own users can be known not to exist; a remote user is taken on trust.
        if (parsed.value.serverName === deps.config.server_name && (await deps.userApi.queryAccount({ userId: params.userId })).account === null) {
          throw MatrixError.notFound('The user was not found');
        }
        await rs.performReport({ kind: 'user', reporterId: requester!.userId, targetUserId: params.userId, reason: body.reason });
        return {};
      },
    }),
  ];
}
