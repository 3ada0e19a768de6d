/**
 * The E2EE reads other servers make of our users (spec server-server "End-to-End Encryption"
 * and "Device Management"): `GET /user/devices/{userId}` (a device list with its `stream_id`,
 * what a server resyncs from when it sees a gap in our `m.device_list_update`s),
 * `POST /user/keys/query` and `POST /user/keys/claim`. Only our own users are answered; others
 * asked about are left out, as a server may only speak for its users.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { JsonObject } from '../../matrix/json.js';
import type { FederationUserAPI } from '../../userapi/api.js';

/** The userapi calls the E2EE reads make. */
export type UserKeysUserAPI = Pick<FederationUserAPI, 'queryKeys' | 'performClaimKeys' | 'queryDeviceList'>;

/** What the routes need. */
export interface UserKeysRoutesDeps {
  /** Our server name: only our users are answered for. */
  readonly serverName: string;
  readonly keysUserApi: UserKeysUserAPI;
}

/** A remote server is no user: it sees only what any other user may see. */
const REMOTE_VIEWER = '';

/** Keeps the entries of `byUser` whose user is ours. */
function ours<T>(byUser: Readonly<Record<string, T>>, serverName: string): Record<string, T> {
  return Object.fromEntries(Object.entries(byUser).filter(([userId]) => domainOf(userId) === serverName));
}

/** The three routes. */
export function userKeysRoutes(deps: UserKeysRoutesDeps): AnyRoute[] {
  const api = deps.keysUserApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/user/devices/:userId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params: Type.Object({ userId: Type.String() }) },
      handler: async ({ params }) => {
        const parsed = parseUserId(params.userId, { allowHistorical: true });
        if (!parsed.ok) throw MatrixError.invalidParam(`Invalid user ID: ${parsed.reason}`);
        if (parsed.value.serverName !== deps.serverName) throw MatrixError.invalidParam('The user is not hosted on this server');
        const list = await api.queryDeviceList({ userId: params.userId });
        const body: JsonObject = {
          user_id: params.userId,
          stream_id: list.streamId,
          devices: list.devices.map((d) => {
            const device: JsonObject = { device_id: d.deviceId, keys: d.keys };
            if (d.displayName !== null) device.device_display_name = d.displayName;
            return device;
          }),
        };
        if (list.masterKey) body.master_key = list.masterKey;
        if (list.selfSigningKey) body.self_signing_key = list.selfSigningKey;
        return body;
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/federation/v1/user/keys/query',
      auth: 'federation',
      rateLimit: 'default',
      schema: { body: Type.Object({ device_keys: Type.Record(Type.String(), Type.Array(Type.String())) }) },
      handler: async ({ body }) => {
        const local = ours(body.device_keys, deps.serverName);
        const found = await api.queryKeys({ userIds: local, requestingUserId: REMOTE_VIEWER });
        const deviceKeys: Record<string, Readonly<Record<string, JsonObject>>> = {};
        for (const userId of Object.keys(local)) deviceKeys[userId] = found.deviceKeys[userId] ?? {};
        return { device_keys: deviceKeys, master_keys: found.masterKeys, self_signing_keys: found.selfSigningKeys };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/federation/v1/user/keys/claim',
      auth: 'federation',
      rateLimit: 'default',
      schema: { body: Type.Object({ one_time_keys: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())) }) },
      handler: async ({ body }) => {
        const claimed = await api.performClaimKeys({ oneTimeKeys: ours(body.one_time_keys, deps.serverName) });
        return { one_time_keys: claimed.oneTimeKeys };
      },
    }),
  ];
}
