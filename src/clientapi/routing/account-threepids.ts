/**
 * The `/account/3pid*` endpoints (spec "Adding Account Administrative Contact Information").
 * Axon stores no third-party identifiers, sends no email or SMS (so no validation session ever
 * exists) and talks to no identity server; `GET /capabilities` says `m.3pid_changes` is off.
 * Each endpoint still gives the spec's truthful answer rather than 404 M_UNRECOGNIZED:
 * - `GET /account/3pid`: the empty list;
 * - `POST /account/3pid/add`: UIA as the spec requires, then 400 M_THREEPID_AUTH_FAILED, since
 *   the `sid` names no validation session of ours;
 * - `POST /account/3pid/bind` and the deprecated `POST /account/3pid` (which the spec now defines
 *   as equivalent to `/bind`): 400 M_SERVER_NOT_TRUSTED, as no identity server is trusted;
 * - `POST /account/3pid/delete` and `/unbind`: 200 with `id_server_unbind_result: "no-support"`.
 *   The identifier is not on the account, so the outcome the caller asked for already holds
 *   (as deleting it twice would find), and the spec prescribes `no-support` when the server
 *   cannot determine an identity server to unbind from — Axon never knows one.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { PASSWORD_FLOWS, runRouteUia } from './route-uia.js';
import { assertClientSecret, isSessionString } from './threepid-session-ids.js';

const ACCOUNT_3PID = '/_matrix/client/v3/account/3pid';

/** The body of `/bind` and of the deprecated `POST /account/3pid`'s `three_pid_creds`. */
const BindCreds = Type.Object({
  client_secret: Type.String(),
  id_server: Type.String(),
  // Required by `/bind`; the deprecated endpoint lets servers treat it as optional (r0.5 clients).
  id_access_token: Type.String(),
  sid: Type.String(),
});
const LegacyCreds = Type.Object({ ...BindCreds.properties, id_access_token: Type.Optional(Type.String()) });

const RemoveBody = Type.Object({
  medium: Type.Union([Type.Literal('email'), Type.Literal('msisdn')]),
  address: Type.String(),
  id_server: Type.Optional(Type.String()),
});

function untrusted(idServer: string): MatrixError {
  return MatrixError.serverNotTrusted(`This server does not trust the identity server ${JSON.stringify(idServer)}: it uses none`);
}

function noValidationSession(sid: string): MatrixError {
  const which = isSessionString(sid) ? `'${sid}'` : 'given';
  return MatrixError.threepidAuthFailed(`No validation session ${which} exists: this server does not validate third-party identifiers`);
}

function postAdd(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: `${ACCOUNT_3PID}/add`,
    auth: 'user',
    rateLimit: 'default',
    schema: {
      body: Type.Object({ auth: Type.Optional(Type.Unknown()), client_secret: Type.String(), sid: Type.String() }),
    },
    handler: async (ctx) => {
      const uia = await runRouteUia(deps, ctx, PASSWORD_FLOWS);
      if (uia.kind === 'challenge') return uia.response;
      assertClientSecret(ctx.body.client_secret);
      // The session is not finished: nothing was changed, so the client may retry under it.
      throw noValidationSession(ctx.body.sid);
    },
  });
}

/** The `/account/3pid*` routes for a server without third-party identifiers. */
export function accountThreepidRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const unbound = async () => ({ id_server_unbind_result: 'no-support' });
  return [
    defineRoute({
      method: 'GET',
      path: ACCOUNT_3PID,
      auth: 'user',
      rateLimit: 'default',
      schema: {},
      handler: async () => ({ threepids: [] }),
    }),
    defineRoute({
      method: 'POST',
      path: ACCOUNT_3PID,
      auth: 'user',
      rateLimit: 'default',
      // `bind` was removed from the spec; an old client still sending it is tolerated, and the
      // answer is `/bind`'s either way: with or without binding, the identity server is untrusted.
      schema: { body: Type.Object({ three_pid_creds: LegacyCreds, bind: Type.Optional(Type.Boolean()) }) },
      handler: async ({ body }) => {
        assertClientSecret(body.three_pid_creds.client_secret);
        throw untrusted(body.three_pid_creds.id_server);
      },
    }),
    postAdd(deps),
    defineRoute({
      method: 'POST',
      path: `${ACCOUNT_3PID}/bind`,
      auth: 'user',
      rateLimit: 'default',
      schema: { body: BindCreds },
      handler: async ({ body }) => {
        assertClientSecret(body.client_secret);
        throw untrusted(body.id_server);
      },
    }),
    defineRoute({ method: 'POST', path: `${ACCOUNT_3PID}/delete`, auth: 'user', rateLimit: 'default', schema: { body: RemoveBody }, handler: unbound }),
    defineRoute({ method: 'POST', path: `${ACCOUNT_3PID}/unbind`, auth: 'user', rateLimit: 'default', schema: { body: RemoveBody }, handler: unbound }),
  ];
}
