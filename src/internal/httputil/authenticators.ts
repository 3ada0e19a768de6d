/**
 * What the HTTP layer needs from components to authenticate requests. The userapi provides the
 * access-token check and the federationapi the X-Matrix check; wiring passes them in.
 */
import type { FastifyRequest } from 'fastify';
import type { FederationOrigin, Requester } from './route.js';

export interface UserAuthenticator {
  /** The requester for an access token, or throws M_UNKNOWN_TOKEN (soft_logout when expired) or M_USER_LOCKED. */
  authenticate(token: string, req: FastifyRequest): Promise<Requester>;
}

export interface FederationAuthenticator {
  /** Verifies the X-Matrix Authorization header(s) over the request; throws M_UNAUTHORIZED/M_FORBIDDEN. */
  authenticate(req: FastifyRequest, body: unknown): Promise<FederationOrigin>;
}

export interface Authenticators {
  readonly user?: UserAuthenticator;
  readonly federation?: FederationAuthenticator;
}
