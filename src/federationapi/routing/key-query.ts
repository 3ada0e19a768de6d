/**
 * The notary routes, `GET /_matrix/key/v2/query/{serverName}` and `POST /_matrix/key/v2/query`:
 * other servers' key responses, as they signed them, with our signature added. Stored responses
 * are served while valid until the asked `minimum_valid_until_ts` (default: now); otherwise the
 * server is asked again (see `KeyRing.serverKeysForNotary`). Key IDs in a POST only carry their
 * criteria: the spec lets a notary return every key it has.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { isValidServerName } from '../../matrix/ids/server-name.js';
import type { JsonObject } from '../../matrix/json.js';
import { signJson } from '../../matrix/sign-json.js';
import type { KeyRoutesDeps } from './key-routes-deps.js';

/** Most servers one POST may ask about: each may cost us an outbound request. */
export const MAX_NOTARY_SERVERS = 100;

const Criteria = Type.Object({ minimum_valid_until_ts: Type.Optional(Type.Integer()) });
const QueryBody = Type.Object({
  server_keys: Type.Record(Type.String(), Type.Record(Type.String(), Criteria)),
});

/** The two notary routes. */
export function keyQueryRoutes(deps: KeyRoutesDeps): AnyRoute[] {
  const answer = async (serverName: string, minimumValidUntilTs: number): Promise<JsonObject[]> => {
    const responses = await deps.keyRing.serverKeysForNotary(serverName, minimumValidUntilTs);
    return responses.map((json) => deps.ourKeys.signingKeys.reduce((signed, key) => signJson(signed, deps.serverName, key), json));
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/key/v2/query/:serverName',
      auth: 'none',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ serverName: Type.String() }),
        query: Type.Object({ minimum_valid_until_ts: Type.Optional(Type.Integer()) }),
      },
      handler: async ({ params, query }) => {
        if (!isValidServerName(params.serverName)) throw MatrixError.invalidParam('serverName is not a valid server name');
        return { server_keys: await answer(params.serverName, query.minimum_valid_until_ts ?? deps.now()) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/key/v2/query',
      auth: 'none',
      rateLimit: 'default',
      schema: { body: QueryBody },
      handler: async ({ body }) => {
        const servers = Object.entries(body.server_keys);
        if (servers.length > MAX_NOTARY_SERVERS) throw MatrixError.invalidParam(`at most ${MAX_NOTARY_SERVERS} servers per query`);
        const now = deps.now();
        const answers = await Promise.all(
          servers
            .filter(([serverName]) => isValidServerName(serverName))
            .map(([serverName, keys]) => {
              // Keys must satisfy every criterion given, so the latest wins; none given means now.
              const mins = Object.values(keys).map((c) => c.minimum_valid_until_ts ?? now);
              return answer(serverName, mins.length > 0 ? Math.max(...mins) : now);
            }),
        );
        return { server_keys: answers.flat() };
      },
    }),
  ];
}
