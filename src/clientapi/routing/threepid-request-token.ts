/**
 * The six `…/requestToken` endpoints that start validating an email address or phone number.
 * Axon stores no third-party identifiers, sends no email or SMS and talks to no identity server,
 * so it can never start such a validation; it answers as the spec lets a server without 3PID
 * support answer, instead of a 404 M_UNRECOGNIZED that clients show as a broken server:
 * - for registration and for adding to an account: 400 M_THREEPID_MEDIUM_NOT_SUPPORTED;
 * - for a password reset: 400 M_THREEPID_NOT_FOUND, which is simply true — no account has an
 *   address. It leaks nothing about which addresses exist, since the answer never varies; the
 *   spec's alternative (mail the address an invitation instead) needs the sending we lack.
 * The body is validated first (schema, then the `client_secret` grammar), so a malformed
 * request gets the same error it would get from a server with 3PID support.
 *
 * None of these routes take an access token: the spec gives them no security requirement
 * (adding an address to an account is authenticated later, by `POST /account/3pid/add`).
 */
import Type, { type TSchema } from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type RateLimitClass } from '../../internal/httputil/route.js';
import { assertClientSecret } from './threepid-session-ids.js';

/** Fields both request bodies share (the spec's `request_{email,msisdn}_validation`). */
const COMMON = {
  client_secret: Type.String(),
  send_attempt: Type.Integer(),
  next_link: Type.Optional(Type.String()),
  id_server: Type.Optional(Type.String()),
  id_access_token: Type.Optional(Type.String()),
};

const EmailBody = Type.Object({ ...COMMON, email: Type.String() });
const MsisdnBody = Type.Object({ ...COMMON, country: Type.String(), phone_number: Type.String() });

type Medium = 'email' | 'msisdn';
type Purpose = 'register' | 'account' | 'password';

const BODIES: Readonly<Record<Medium, TSchema>> = { email: EmailBody, msisdn: MsisdnBody };

const PATH_PREFIX: Readonly<Record<Purpose, string>> = {
  register: '/_matrix/client/v3/register',
  account: '/_matrix/client/v3/account/3pid',
  password: '/_matrix/client/v3/account/password',
};

// Unauthenticated, so budgets are per address: registration's and login's stricter ones where
// the request belongs to those flows.
const RATE_LIMIT: Readonly<Record<Purpose, RateLimitClass>> = { register: 'register', account: 'default', password: 'login' };

/** The refusal for `purpose` and `medium`. */
export function requestTokenRefusal(purpose: Purpose, medium: Medium): MatrixError {
  if (purpose === 'password') {
    return MatrixError.threepidNotFound(
      medium === 'email'
        ? 'No account has this email address: this server stores no email addresses'
        : 'No account has this phone number: this server stores no phone numbers',
    );
  }
  return MatrixError.threepidMediumNotSupported(
    medium === 'email' ? 'This server does not send verification emails' : 'This server does not send verification SMS messages',
  );
}

function requestTokenRoute(purpose: Purpose, medium: Medium): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: `${PATH_PREFIX[purpose]}/${medium}/requestToken`,
    auth: 'none',
    rateLimit: RATE_LIMIT[purpose],
    schema: { body: BODIES[medium] },
    handler: async ({ body }) => {
      assertClientSecret((body as { client_secret: string }).client_secret);
      throw requestTokenRefusal(purpose, medium);
    },
  });
}

/** The six requestToken routes: registration, adding to an account, password reset; email and phone. */
export function threepidRequestTokenRoutes(): AnyRoute[] {
  const purposes: readonly Purpose[] = ['register', 'account', 'password'];
  return purposes.flatMap((p) => [requestTokenRoute(p, 'email'), requestTokenRoute(p, 'msisdn')]);
}
