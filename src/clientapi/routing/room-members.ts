/**
 * Room members and events for clients: `GET /rooms/{roomId}/members` (with the spec's
 * `membership` / `not_membership` "or" filter), `GET /rooms/{roomId}/joined_members` and
 * `GET /rooms/{roomId}/event/{eventId}`. The `at` token of `/members` needs sync tokens and is
 * ignored until the syncapi exists.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { toClientEvent } from '../../matrix/client-event.js';
import type { JsonObject } from '../../matrix/json.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { requireJoined, roomReadPoint } from './room-access.js';

const Membership = Type.Union(['join', 'invite', 'knock', 'leave', 'ban'].map((m) => Type.Literal(m)));

/**
 * Whether a member passes `/members`' filters: with both, `membership` **or** not
 * `not_membership` (the spec's "or" condition); with one, that one; with none, everyone.
 */
export function passesMemberFilter(membership: string, filter: { membership?: string; not_membership?: string }): boolean {
  const is = filter.membership !== undefined ? membership === filter.membership : undefined;
  const isNot = filter.not_membership !== undefined ? membership !== filter.not_membership : undefined;
  if (is === undefined && isNot === undefined) return true;
  return is === true || isNot === true;
}

export function roomMemberRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/rooms/:roomId/members',
      auth: 'user',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ roomId: Type.String() }),
        query: Type.Object({ at: Type.Optional(Type.String()), membership: Type.Optional(Membership), not_membership: Type.Optional(Membership) }),
      },
      handler: async ({ params, query, requester }) => {
        const at = await roomReadPoint(rs, params.roomId, requester!.userId);
        const { events } = await rs.queryState({ roomId: params.roomId, ...at, types: ['m.room.member'] });
        const chunk = events
          .filter((e) => passesMemberFilter(String((e.event.content as JsonObject | undefined)?.membership), query))
          .map((e) => toClientEvent(e.eventId, e.roomId, e.event));
        return { chunk };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/rooms/:roomId/joined_members',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }) },
      handler: async ({ params, requester }) => {
        await requireJoined(rs, params.roomId, requester!.userId);
        const { events } = await rs.queryState({ roomId: params.roomId, types: ['m.room.member'] });
        const joined: Record<string, { display_name?: string; avatar_url?: string }> = {};
        for (const e of events) {
          const c = (e.event.content ?? {}) as JsonObject;
          if (c.membership !== 'join' || typeof e.event.state_key !== 'string') continue;
          joined[e.event.state_key] = {
            ...(typeof c.displayname === 'string' ? { display_name: c.displayname } : {}),
            ...(typeof c.avatar_url === 'string' ? { avatar_url: c.avatar_url } : {}),
          };
        }
        return { joined };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/rooms/:roomId/event/:eventId',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String(), eventId: Type.String() }) },
      handler: async ({ params, requester }) => {
        // Members only for now: history visibility (what a former or future member, or anyone in
        // a world_readable room, may see) is enforced once the syncapi's visibility checks exist.
        await requireJoined(rs, params.roomId, requester!.userId);
        const [found] = (await rs.queryEvents({ eventIds: [params.eventId] })).events;
        if (!found || found.roomId !== params.roomId || found.rejected || found.outlier) throw MatrixError.notFound('Event not found');
        return toClientEvent(found.eventId, found.roomId, found.event);
      },
    }),
  ];
}
