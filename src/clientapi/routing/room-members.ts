/**
 * Room members and events for clients: `GET /rooms/{roomId}/members` (with the spec's
 * `membership` / `not_membership` "or" filter), `GET /rooms/{roomId}/joined_members` and
 * `GET /rooms/{roomId}/event/{eventId}`. The `at` token of `/members` needs sync tokens and is
 * ignored until the syncapi exists. Who may read what is decided in `room-access.ts`: members as
 * of one's leave after leaving, the current members of world-readable rooms, events by their
 * history visibility (404 when hidden).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { toClientEvent } from '../../matrix/client-event.js';
import type { JsonObject } from '../../matrix/json.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { readableEvent, requireCurrentReadAccess, roomReadAccess, stateAt } from './room-access.js';

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
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ roomId: Type.String() }),
        query: Type.Object({ at: Type.Optional(Type.String()), membership: Type.Optional(Membership), not_membership: Type.Optional(Membership) }),
      },
      handler: async ({ params, query, requester }) => {
        const access = await roomReadAccess(rs, params.roomId, requester!);
        const { events } = await rs.queryState({ roomId: params.roomId, ...stateAt(access), types: ['m.room.member'] });
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
        await requireCurrentReadAccess(rs, params.roomId, requester!);
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
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String(), eventId: Type.String() }) },
      handler: async ({ params, requester }) => {
        const found = await readableEvent(rs, params.roomId, params.eventId, requester!);
        return toClientEvent(found.eventId, found.roomId, found.event);
      },
    }),
  ];
}
