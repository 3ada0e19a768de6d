/**
 * `GET /_matrix/client/v3/admin/whois/{userId}`: where a user's devices were last seen. The spec
 * lets a server restrict it to admins; like Synapse, Axon also lets users look themselves up,
 * since it shows nothing `GET /devices` does not. Synapse's admin path answers the same.
 *
 * The userapi keeps one sighting per device (the latest), not a history of connections, so each
 * device has one session (as in Synapse: a device is one login) with at most one connection.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import type { ClientUserAPI, Device } from '../../userapi/api.js';
import { NOT_LOCAL_USER, requireLocalUserId } from './admin-user-common.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** The paths served: the spec's, and Synapse's admin API path for tools written against it. */
export const WHOIS_PATHS = ['/_matrix/client/v3/admin/whois/:userId', '/_synapse/admin/v1/whois/:userId'] as const;

/** One device's `DeviceInfo`: a single session whose connection is the last sighting, if any. */
export function whoisDeviceJson(d: Device): { sessions: Array<{ connections: Array<Record<string, unknown>> }> } {
  // A device created without a client address (e.g. by an internal call) has never been seen.
  const connections =
    d.lastSeenIp === null
      ? []
      : [
          {
            ip: d.lastSeenIp,
            ...(d.lastSeenTs !== null ? { last_seen: d.lastSeenTs } : {}),
            ...(d.lastSeenUserAgent !== null ? { user_agent: d.lastSeenUserAgent } : {}),
          },
        ];
  return { sessions: [{ connections }] };
}

/**
 * Checks who may ask, before any lookup so that non-admins cannot probe which accounts exist
 * (the spec asks this of its newer admin endpoints); then that the user is one of ours.
 */
function checkTarget(requester: Requester, userId: string, serverName: string): void {
  if (!requester.isAdmin && requester.userId !== userId) {
    throw MatrixError.forbidden('Only server admins may look up other users');
  }
  requireLocalUserId(userId, serverName, NOT_LOCAL_USER());
}

async function whois(api: ClientUserAPI, userId: string): Promise<object> {
  // A deactivated account is still known (it keeps no devices), so only unknown users are 404.
  const { account } = await api.queryAccount({ userId });
  if (account === null) throw MatrixError.notFound('User not found');
  const { devices } = await api.queryDevices({ userId });
  return { user_id: userId, devices: Object.fromEntries(devices.map((d) => [d.deviceId, whoisDeviceJson(d)])) };
}

/** The whois routes, on both paths. */
export function adminWhoisRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return WHOIS_PATHS.map((path) =>
    defineRoute({
      method: 'GET',
      path,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Type.Object({ userId: Type.String() }) },
      handler: async ({ requester, params }) => {
        checkTarget(requester!, params.userId, deps.config.server_name);
        return whois(deps.userApi, params.userId);
      },
    }),
  );
}
