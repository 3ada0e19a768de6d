/** `GET /account/whoami`: who the access token belongs to. */
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';

export function getWhoami(): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v3/account/whoami',
    auth: 'user-or-guest',
    rateLimit: 'default',
    schema: {},
    handler: async ({ requester }) => {
      const r = requester!;
      return { user_id: r.userId, ...(r.deviceId !== undefined ? { device_id: r.deviceId } : {}), is_guest: r.isGuest };
    },
  });
}
