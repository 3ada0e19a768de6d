/** `POST /keys/upload`: the requester's device publishes its E2EE keys (guests too, spec guest access). */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import type { ClientUserAPI } from '../../userapi/api.js';

const KeyMap = Type.Record(Type.String(), Type.Unknown());
const UploadBody = Type.Object({
  device_keys: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  one_time_keys: Type.Optional(KeyMap),
  fallback_keys: Type.Optional(KeyMap),
});

/** The route; the userapi checks the keys (owner, signature, conflicts). */
export function keysUpload(userApi: Pick<ClientUserAPI, 'performUploadKeys'>): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/keys/upload',
    auth: 'user-or-guest',
    rateLimit: 'default',
    schema: { body: UploadBody },
    handler: async ({ requester, body }) => {
      const deviceId = requester!.deviceId;
      if (deviceId === undefined) throw MatrixError.unknown('To upload keys, the access token must belong to a device');
      const res = await userApi.performUploadKeys({
        userId: requester!.userId,
        deviceId,
        ...(body.device_keys ? { deviceKeys: body.device_keys as JsonObject } : {}),
        ...(body.one_time_keys ? { oneTimeKeys: body.one_time_keys as JsonObject } : {}),
        ...(body.fallback_keys ? { fallbackKeys: body.fallback_keys as JsonObject } : {}),
      });
      return { one_time_key_counts: res.oneTimeKeyCounts };
    },
  });
}
