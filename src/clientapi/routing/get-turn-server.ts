/**
 * `GET /voip/turnServer`: credentials for the TURN relays in `turn`, so clients behind NAT can
 * still set up 1:1 calls.
 *
 * With `turn.shared_secret` the credentials follow the TURN REST API scheme coturn implements
 * (`use-auth-secret`): the username is `<expiry in unix seconds>:<user ID>` and the password
 * base64(HMAC-SHA1(secret, username)). coturn recomputes the password from the username and
 * refuses it once the expiry has passed, so the homeserver and coturn share nothing but the
 * secret, and leaked credentials stop working on their own.
 *
 * With no `turn.uris` the spec's 200 answer cannot be given: it requires `username`, `password`,
 * `uris` and `ttl`. Synapse and Dendrite answer `{}`, which breaks that schema; an empty `uris`
 * makes browsers reject the whole ICE configuration. We answer 404 `M_NOT_FOUND` as MSC4166
 * proposes: matrix-js-sdk treats it as "no TURN", logs it and asks again later.
 */
import { createHmac } from 'node:crypto';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { AxonConfig } from '../../internal/config/config-schema.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** The body of a 200 answer (spec: `getTurnServer`). */
export interface TurnServerResponse {
  /** The TURN username. */
  readonly username: string;
  /** The TURN password. */
  readonly password: string;
  /** The configured `turn:`/`turns:` URIs. */
  readonly uris: readonly string[];
  /** How many seconds the credentials stay valid. */
  readonly ttl: number;
}

/**
 * The credentials `userId` gets at `nowMs`, or `undefined` when no TURN server is configured.
 * The config checks guarantee that configured URIs come with exactly one kind of credentials.
 */
export function turnCredentials(turn: AxonConfig['turn'], userId: string, nowMs: number): TurnServerResponse | undefined {
  if (turn.uris.length === 0) return undefined;
  const ttl = Math.floor(turn.user_lifetime_ms / 1000);
  if (turn.shared_secret !== undefined) {
    const username = `${Math.floor((nowMs + turn.user_lifetime_ms) / 1000)}:${userId}`;
    const password = createHmac('sha1', turn.shared_secret).update(username).digest('base64');
    return { username, password, uris: turn.uris, ttl };
  }
  if (turn.username === undefined || turn.password === undefined) return undefined;
  return { username: turn.username, password: turn.password, uris: turn.uris, ttl };
}

/** The route; guests are let in by the auth layer and refused here unless `turn.allow_guests`. */
export function getTurnServer(deps: ClientRouteDeps): AnyRoute {
  const turn = deps.config.turn;
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v3/voip/turnServer',
    auth: 'user-or-guest',
    rateLimit: 'default',
    schema: {},
    handler: async ({ requester }) => {
      const r = requester!;
      // A 403 makes matrix-js-sdk stop asking for the rest of the session; M_FORBIDDEN is what
      // Synapse answers (the spec names no errcode for this endpoint).
      if (r.isGuest && !turn.allow_guests) throw MatrixError.forbidden('Guests may not use the TURN server');
      const credentials = turnCredentials(turn, r.userId, Date.now());
      if (!credentials) throw MatrixError.notFound('No TURN server is configured');
      return credentials;
    },
  });
}
