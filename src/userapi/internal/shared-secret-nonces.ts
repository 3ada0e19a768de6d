/** Nonces for shared-secret registration (`/_synapse/admin/v1/register`): single use, short-lived. */
import { randomBytes } from 'node:crypto';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type {
  PerformSharedSecretNonceRequest,
  PerformSharedSecretNonceResponse,
  PerformSharedSecretNonceUseRequest,
  PerformSharedSecretNonceUseResponse,
} from '../api.js';
import { hashSecret } from './secret-token.js';
import type { UserInternalContext } from './user-internal-context.js';

/** A new nonce valid for `lifetimeMs` (the admin API uses 60 s). */
export async function performSharedSecretNonce(
  ctx: UserInternalContext,
  req: PerformSharedSecretNonceRequest,
): Promise<PerformSharedSecretNonceResponse> {
  if (!Number.isSafeInteger(req.lifetimeMs) || req.lifetimeMs <= 0) throw MatrixError.invalidParam('lifetimeMs must be a positive integer');
  const nonce = randomBytes(16).toString('hex');
  const now = ctx.now();
  await ctx.storage.addNonce(hashSecret(nonce), now + req.lifetimeMs, now);
  return { nonce };
}

/** Uses the nonce up; `ok` only if it existed and had not expired. */
export async function performSharedSecretNonceUse(
  ctx: UserInternalContext,
  req: PerformSharedSecretNonceUseRequest,
): Promise<PerformSharedSecretNonceUseResponse> {
  return { ok: await ctx.storage.takeNonce(hashSecret(req.nonce), ctx.now()) };
}
