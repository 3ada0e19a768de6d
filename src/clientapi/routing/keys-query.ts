/** `POST /keys/query`: device and cross-signing keys of users (guests may ask, spec guest access). */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import type { ClientUserAPI } from '../../userapi/api.js';
import { DEFAULT_REMOTE_KEYS_TIMEOUT_MS, splitByServer, type KeysFederation } from './keys-federation-seam.js';

const QueryBody = Type.Object({
  device_keys: Type.Record(Type.String(), Type.Array(Type.String())),
  timeout: Type.Optional(Type.Integer({ minimum: 0 })),
});

type ByUser = Record<string, JsonObject>;

/**
 * Local users are answered by the userapi; each remote server through `federation` (the seam in
 * `keys-federation-seam.ts`), or listed in `failures` when it cannot be reached or there is no
 * federation yet. Every user asked for whose server answered is in `device_keys`, with `{}` when
 * unknown, so clients can tell "no devices" from "not asked".
 */
export function keysQuery(userApi: Pick<ClientUserAPI, 'queryKeys'>, serverName: string, federation: KeysFederation | undefined): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/keys/query',
    auth: 'user-or-guest',
    rateLimit: 'default',
    schema: { body: QueryBody },
    handler: async ({ requester, body }) => {
      const { local, remote } = splitByServer(body.device_keys, serverName);
      const mine = await userApi.queryKeys({ userIds: local, requestingUserId: requester!.userId });
      const deviceKeys: Record<string, ByUser> = { ...mine.deviceKeys };
      for (const userId of Object.keys(local)) deviceKeys[userId] ??= {};
      const masterKeys: ByUser = { ...mine.masterKeys };
      const selfSigningKeys: ByUser = { ...mine.selfSigningKeys };
      const failures: Record<string, JsonObject> = {};
      await Promise.all(
        [...remote].map(async ([server, users]) => {
          if (!federation) return void (failures[server] = {});
          try {
            const theirs = await federation.queryKeys(server, users, body.timeout ?? DEFAULT_REMOTE_KEYS_TIMEOUT_MS);
            for (const userId of Object.keys(users)) deviceKeys[userId] = { ...(theirs.deviceKeys[userId] ?? {}) };
            Object.assign(masterKeys, pick(theirs.masterKeys, users));
            Object.assign(selfSigningKeys, pick(theirs.selfSigningKeys, users));
          } catch {
            failures[server] = {};
          }
        }),
      );
      return { device_keys: deviceKeys, master_keys: masterKeys, self_signing_keys: selfSigningKeys, user_signing_keys: mine.userSigningKeys, failures };
    },
  });
}

/** The entries of `keys` for users asked for (a server answers only for its own users). */
function pick(keys: Readonly<Record<string, JsonObject>>, asked: Readonly<Record<string, unknown>>): ByUser {
  return Object.fromEntries(Object.entries(keys).filter(([userId]) => userId in asked));
}
