/**
 * `GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]`: three
 * route descriptors sharing one handler (the work is in `relations/perform-relations.ts`). Not
 * rate-limited: the spec says the endpoint deliberately is not. Guests are not on the spec's list.
 * Stored events are written unparsed (`raw-json-reply.ts`).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute, type RouteContext } from '../../internal/httputil/route.js';
import type { HistoryDeps } from '../history/history-access.js';
import { performRelations, relationsLimit } from '../relations/perform-relations.js';
import { replyWithRawJson } from './raw-json-reply.js';

const RelationsQuery = Type.Object({
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer()),
  dir: Type.Optional(Type.Union([Type.Literal('b'), Type.Literal('f')])),
  recurse: Type.Optional(Type.Boolean()),
});
const Params = Type.Object({
  roomId: Type.String(),
  eventId: Type.String(),
  relType: Type.Optional(Type.String()),
  eventType: Type.Optional(Type.String()),
});
const schema = { params: Params, query: RelationsQuery };

const BASE = '/_matrix/client/v1/rooms/:roomId/relations/:eventId';

/** The three `/relations` routes. */
export function relationsRoutes(deps: HistoryDeps): AnyRoute[] {
  const handler = async ({ params, query, requester, reply }: RouteContext<typeof schema>) => {
    const res = await performRelations(deps, {
      roomId: params.roomId,
      eventId: params.eventId,
      relType: params.relType,
      eventType: params.eventType,
      requester: { userId: requester!.userId, deviceId: requester!.deviceId },
      dir: query.dir ?? 'b',
      from: query.from,
      to: query.to,
      limit: relationsLimit(query.limit),
      recurse: query.recurse === true,
    });
    return replyWithRawJson(reply, res);
  };
  return [BASE, `${BASE}/:relType`, `${BASE}/:relType/:eventType`].map((path) =>
    defineRoute({ method: 'GET', path, auth: 'user', rateLimit: 'none', schema, handler }),
  );
}
