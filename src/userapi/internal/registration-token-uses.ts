/** Counting a registration's use of a token: reserved when the UIA stage passes, completed on success. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { EmptyResponse, RegistrationTokenUseRequest } from '../api.js';
import type { UserInternalContext } from './user-internal-context.js';

/**
 * Counts one pending use; with a session, the session holds it until the registration completes
 * and gives it back if it expires first.
 *
 * @throws MatrixError `M_FORBIDDEN` for an unknown, expired or used-up token; `M_NOT_FOUND` for
 *   an unknown or expired session.
 */
export async function performRegistrationTokenReserve(ctx: UserInternalContext, req: RegistrationTokenUseRequest): Promise<EmptyResponse> {
  const now = ctx.now();
  const session = req.sessionId === undefined ? undefined : { sessionId: req.sessionId, notBefore: now - ctx.uiaSessionLifetimeMs };
  const outcome = await ctx.storage.reserveRegistrationToken(req.token, now, session);
  if (outcome === 'invalid') throw MatrixError.forbidden('Invalid registration token');
  if (outcome === 'no_session') throw MatrixError.notFound('Unknown or expired user-interactive auth session');
  return {};
}

/** Turns the pending use into a completed one. Pass the session the use was reserved with. */
export async function performRegistrationTokenComplete(ctx: UserInternalContext, req: RegistrationTokenUseRequest): Promise<EmptyResponse> {
  await ctx.storage.completeRegistrationToken(req.token, req.sessionId);
  return {};
}
