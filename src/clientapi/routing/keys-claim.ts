/** `POST /keys/claim`: one-time (or fallback) keys of other devices, to start Olm sessions. */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import type { ClientUserAPI } from '../../userapi/api.js';
import { DEFAULT_REMOTE_KEYS_TIMEOUT_MS, splitByServer, type KeysFederation } from './keys-federation-seam.js';

const ClaimBody = Type.Object({
  one_time_keys: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
  timeout: Type.Optional(Type.Integer({ minimum: 0 })),
});

/**
 * Local devices are claimed through the userapi; remote ones through `federation` (the seam in
 * `keys-federation-seam.ts`), their server in `failures` when unreachable or without federation.
 * Devices with no key to give are left out, as the spec says.
 */
export function keysClaim(userApi: Pick<ClientUserAPI, 'performClaimKeys'>, serverName: string, federation: KeysFederation | undefined): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/keys/claim',
    auth: 'user-or-guest',
    rateLimit: 'default',
    schema: { body: ClaimBody },
    handler: async ({ body }) => {
      const { local, remote } = splitByServer(body.one_time_keys, serverName);
      const mine = await userApi.performClaimKeys({ oneTimeKeys: local });
      const oneTimeKeys: Record<string, Readonly<Record<string, Readonly<Record<string, JsonValue>>>>> = { ...mine.oneTimeKeys };
      const failures: Record<string, JsonObject> = {};
      await Promise.all(
        [...remote].map(async ([server, users]) => {
          if (!federation) return void (failures[server] = {});
          try {
            const theirs = await federation.claimKeys(server, users, body.timeout ?? DEFAULT_REMOTE_KEYS_TIMEOUT_MS);
            for (const [userId, devices] of Object.entries(theirs)) if (userId in users) oneTimeKeys[userId] = devices;
          } catch {
            failures[server] = {};
          }
        }),
      );
      return { one_time_keys: oneTimeKeys, failures };
    },
  });
}
