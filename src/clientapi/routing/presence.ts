/**
 * `GET`/`PUT /presence/{userId}/status`. Presence is stored by the userapi, which announces each
 * change on `OutputPresenceEvent`. Anyone may only set their own. Reading another user's needs a
 * joined room in common (the spec: presence goes to "users who share a room"; Synapse's rule),
 * else 403; an unknown local user is 404. With `presence.enabled: false` updates are accepted
 * and dropped and everyone reads as offline, as Synapse does.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { PresenceState, UserPresence } from '../../userapi/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const STATES: readonly PresenceState[] = ['online', 'unavailable', 'offline'];

const Params = Type.Object({ userId: Type.String() });
const Body = Type.Object({
  // A string, not an enum: an unknown state is M_INVALID_PARAM, not the schema's M_BAD_JSON.
  presence: Type.String(),
  status_msg: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

function isPresenceState(s: string): s is PresenceState {
  return (STATES as readonly string[]).includes(s);
}

/** Whether two users are joined to at least one room in common. */
export async function shareJoinedRoom(api: ClientRoomserverAPI, a: string, b: string): Promise<boolean> {
  const [ra, rb] = await Promise.all([
    api.queryRoomsForUser({ userId: a, membership: 'join' }),
    api.queryRoomsForUser({ userId: b, membership: 'join' }),
  ]);
  const mine = new Set(ra.roomIds);
  return rb.roomIds.some((r) => mine.has(r));
}

/** The spec's response body: `last_active_ago` when known, `status_msg` when set, `currently_active` when online. */
export function presenceBody(p: Pick<UserPresence, 'presence' | 'statusMsg' | 'lastActiveAgo' | 'currentlyActive'>): Record<string, unknown> {
  return {
    presence: p.presence,
    ...(p.lastActiveAgo !== null ? { last_active_ago: p.lastActiveAgo } : {}),
    ...(p.statusMsg !== null ? { status_msg: p.statusMsg } : {}),
    ...(p.presence === 'online' ? { currently_active: p.currentlyActive } : {}),
  };
}

export function presenceRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const enabled = () => deps.config.presence.enabled;
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/presence/:userId/status',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Params, body: Body },
      handler: async ({ params, body, requester }) => {
        if (requester?.userId !== params.userId) throw MatrixError.forbidden('You can only set your own presence');
        if (!isPresenceState(body.presence)) throw MatrixError.invalidParam(`presence must be one of ${STATES.join(', ')}`);
        if (enabled()) await deps.userApi.performPresenceUpdate({ userId: params.userId, presence: body.presence, statusMsg: body.status_msg ?? null });
        return {};
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/presence/:userId/status',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Params },
      handler: async ({ params, requester }) => {
        const target = parseUserId(params.userId, { allowHistorical: true });
        if (!target.ok) throw MatrixError.invalidParam(`${params.userId} is not a valid user ID: ${target.reason}`);
        if (!enabled()) return { presence: 'offline' };
        const local = target.value.serverName === deps.config.server_name;
        const found = (await deps.userApi.queryPresence({ userIds: [params.userId] })).presences[0];
        if (local && !found) throw MatrixError.notFound(`Unknown user ${params.userId}`);
        if (requester!.userId !== params.userId && !(await shareJoinedRoom(deps.roomserverApi, requester!.userId, params.userId))) {
          throw MatrixError.forbidden('You are not allowed to see their presence');
        }
        // A remote user we never heard about (their server sends presence EDUs) reads as offline.
        return found ? presenceBody(found) : { presence: 'offline' };
      },
    }),
  ];
}
