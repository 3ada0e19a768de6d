/**
 * `POST /logout` (this device and its tokens) and `POST /logout/all` (every device). Deleting the
 * device is what logs out: the userapi drops its tokens with it. Guests may log out too.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';

export function postLogout(deps: ClientRouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/logout',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: {},
      handler: async ({ requester }) => {
        const { userId, deviceId } = requester!;
        if (deviceId === undefined) throw MatrixError.unknown('This access token has no device to log out');
        await deps.userApi.performDeviceDeletion({ userId, deviceIds: [deviceId] });
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/logout/all',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: {},
      handler: async ({ requester }) => {
        await deps.userApi.performDeviceDeletion({ userId: requester!.userId });
        return {};
      },
    }),
  ];
}
