/**
 * Synapse's admin API for a user's devices and rooms: `GET …/v2/users/{userId}/devices`, `GET`,
 * `PUT` and `DELETE …/devices/{deviceId}`, `POST …/v2/users/{userId}/delete_devices` and
 * `GET …/v1/users/{userId}/joined_rooms`. Server admins only, answering as Synapse does.
 *
 * Deletion goes through the userapi's device deletion, the one `DELETE /devices` uses, so an
 * admin's deletion logs the device out and drops its keys and pushers just the same; admins
 * skip user-interactive auth, as in Synapse.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { Device } from '../../userapi/api.js';
import { requireLocalUserId } from './admin-user-common.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const UserParams = Type.Object({ userId: Type.String() });
const DeviceParams = Type.Object({ userId: Type.String(), deviceId: Type.String() });
const DEVICES = '/_synapse/admin/v2/users/:userId/devices';
const NOT_LOCAL = 'Can only lookup local users';

/**
 * A device as Synapse's admin API shows it: every field present, null when unknown (Synapse
 * answers its table's columns). Axon has no dehydrated devices, and Synapse adds `dehydrated`
 * only when the user has one, so it is left out.
 */
export function adminDeviceJson(d: Device): Record<string, unknown> {
  return {
    device_id: d.deviceId,
    display_name: d.displayName,
    last_seen_ip: d.lastSeenIp,
    last_seen_ts: d.lastSeenTs,
    last_seen_user_agent: d.lastSeenUserAgent,
    user_id: d.userId,
  };
}

/** Synapse's checks before every device route: a local user (400) that exists (404). */
async function requireKnownLocalUser(deps: ClientRouteDeps, userId: string): Promise<void> {
  requireLocalUserId(userId, deps.config.server_name, MatrixError.unknown(NOT_LOCAL));
  const { account } = await deps.userApi.queryAccount({ userId });
  if (account === null) throw MatrixError.notFound('Unknown user');
}

/** The user's device `deviceId`, if they have it. */
async function deviceOf(deps: ClientRouteDeps, userId: string, deviceId: string): Promise<Device | undefined> {
  const { devices } = await deps.userApi.queryDevices({ userId, deviceIds: [deviceId] });
  return devices.find((d) => d.deviceId === deviceId);
}

/** Listing all devices and reading one. */
function readRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: DEVICES,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: UserParams },
      handler: async ({ params }) => {
        await requireKnownLocalUser(deps, params.userId);
        const { devices } = await deps.userApi.queryDevices({ userId: params.userId });
        return { devices: devices.map(adminDeviceJson), total: devices.length };
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${DEVICES}/:deviceId`,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: DeviceParams },
      handler: async ({ params }) => {
        await requireKnownLocalUser(deps, params.userId);
        const device = await deviceOf(deps, params.userId, params.deviceId);
        if (!device) throw MatrixError.notFound('No device found');
        return adminDeviceJson(device);
      },
    }),
  ];
}

/** Renaming and deleting. Deleting an unknown device succeeds, as in Synapse. */
function writeRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'PUT',
      path: `${DEVICES}/:deviceId`,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: DeviceParams, body: Type.Object({ display_name: Type.Optional(Type.String({ maxLength: 1024 })) }) },
      handler: async ({ params, body }) => {
        await requireKnownLocalUser(deps, params.userId);
        if (!(await deviceOf(deps, params.userId, params.deviceId))) throw MatrixError.notFound('Unknown device');
        // No display_name leaves the name as it is (Synapse's meaning of an empty body).
        if (body.display_name !== undefined) {
          await deps.userApi.performDeviceUpdate({ userId: params.userId, deviceId: params.deviceId, displayName: body.display_name });
        }
        return {};
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `${DEVICES}/:deviceId`,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: DeviceParams },
      handler: async ({ params }) => {
        await requireKnownLocalUser(deps, params.userId);
        await deps.userApi.performDeviceDeletion({ userId: params.userId, deviceIds: [params.deviceId] });
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_synapse/admin/v2/users/:userId/delete_devices',
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: UserParams, body: Type.Object({ devices: Type.Array(Type.String()) }) },
      handler: async ({ params, body }) => {
        await requireKnownLocalUser(deps, params.userId);
        // An empty list must not reach the userapi, where no IDs means every device.
        if (body.devices.length > 0) await deps.userApi.performDeviceDeletion({ userId: params.userId, deviceIds: body.devices });
        return {};
      },
    }),
  ];
}

/**
 * `GET …/v1/users/{userId}/joined_rooms`: the rooms this server knows the user is joined to.
 * Like Synapse, any user ID is accepted: a remote user's list holds the rooms this server shares.
 */
function joinedRoomsRoute(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_synapse/admin/v1/users/:userId/joined_rooms',
    auth: 'admin',
    rateLimit: 'none',
    schema: { params: UserParams },
    handler: async ({ params }) => {
      const { roomIds } = await deps.roomserverApi.queryRoomsForUser({ userId: params.userId, membership: 'join' });
      return { joined_rooms: roomIds, total: roomIds.length };
    },
  });
}

/** Every route of this file. */
export function adminUserDeviceRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [...readRoutes(deps), ...writeRoutes(deps), joinedRoomsRoute(deps)];
}
