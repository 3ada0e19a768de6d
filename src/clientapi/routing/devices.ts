/**
 * Device management: list, read and rename the requester's devices, and delete them behind UIA
 * (`m.login.password`), since deleting a device logs it out and deletes its E2EE keys.
 * Application services skip UIA (spec v1.17): they have no password to give.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type RouteContext, type RouteSchemas } from '../../internal/httputil/route.js';
import type { ClientUserAPI, Device } from '../../userapi/api.js';
import { finishUserInteractiveAuth } from '../auth/run-user-interactive-auth.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { PASSWORD_FLOWS, runRouteUia } from './route-uia.js';

const DeviceParams = Type.Object({ deviceId: Type.String() });
const AuthBody = Type.Object({ auth: Type.Optional(Type.Unknown()) });

/** A device as the client API shows it; absent fields are left out rather than null. */
export function deviceJson(d: Device): Record<string, unknown> {
  return {
    device_id: d.deviceId,
    ...(d.displayName !== null ? { display_name: d.displayName } : {}),
    ...(d.lastSeenIp !== null ? { last_seen_ip: d.lastSeenIp } : {}),
    ...(d.lastSeenTs !== null ? { last_seen_ts: d.lastSeenTs } : {}),
  };
}

/** UIA for a deletion, then the deletion; returns the 401 challenge while UIA is unfinished. */
async function deleteWithUia<S extends RouteSchemas>(deps: ClientRouteDeps, ctx: RouteContext<S>, deviceIds: readonly string[]): Promise<object> {
  const requester = ctx.requester!;
  if (requester.appserviceId !== undefined) {
    await deps.userApi.performDeviceDeletion({ userId: requester.userId, deviceIds });
    return {};
  }
  const uia = await runRouteUia(deps, ctx, PASSWORD_FLOWS);
  if (uia.kind === 'challenge') return uia.response;
  await deps.userApi.performDeviceDeletion({ userId: requester.userId, deviceIds });
  await finishUserInteractiveAuth(deps.userApi, uia.session);
  return {};
}

/** The requester's device, or 404. */
async function ownDevice(api: ClientUserAPI, userId: string, deviceId: string): Promise<Device> {
  const { devices } = await api.queryDevices({ userId, deviceIds: [deviceId] });
  const device = devices.find((d) => d.deviceId === deviceId);
  if (!device) throw MatrixError.notFound('Unknown device');
  return device;
}

/** Listing, reading and renaming: guests may do these (spec, guest access). */
function readAndRename(api: ClientUserAPI): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/devices',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: {},
      handler: async ({ requester }) => {
        const { devices } = await api.queryDevices({ userId: requester!.userId });
        return { devices: devices.map(deviceJson) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/devices/:deviceId',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: DeviceParams },
      handler: async ({ requester, params }) => deviceJson(await ownDevice(api, requester!.userId, params.deviceId)),
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/devices/:deviceId',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: DeviceParams, body: Type.Object({ display_name: Type.Optional(Type.String({ maxLength: 1024 })) }) },
      handler: async ({ requester, params, body }) => {
        const userId = requester!.userId;
        if (body.display_name === undefined) {
          await ownDevice(api, userId, params.deviceId); // nothing to change, but it must exist
          return {};
        }
        // Creating devices this way is for application services (spec v1.17); that arrives with them.
        const { found } = await api.performDeviceUpdate({ userId, deviceId: params.deviceId, displayName: body.display_name });
        if (!found) throw MatrixError.notFound('Unknown device');
        return {};
      },
    }),
  ];
}

export function deviceRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [
    ...readAndRename(deps.userApi),
    defineRoute({
      method: 'DELETE',
      path: '/_matrix/client/v3/devices/:deviceId',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: DeviceParams, body: AuthBody },
      handler: async (ctx) => deleteWithUia(deps, ctx, [ctx.params.deviceId]),
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/delete_devices',
      auth: 'user',
      rateLimit: 'default',
      schema: { body: Type.Object({ devices: Type.Array(Type.String()), auth: Type.Optional(Type.Unknown()) }) },
      handler: async (ctx) => deleteWithUia(deps, ctx, ctx.body.devices),
    }),
  ];
}
