/**
 * Administering registration tokens (Synapse's admin API semantics): creating with a chosen or
 * random token, changing limits, deleting, listing.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type {
  FoundResponse,
  PerformRegistrationTokenCreateRequest,
  PerformRegistrationTokenUpdateRequest,
  QueryRegistrationTokenResponse,
  QueryRegistrationTokensRequest,
  QueryRegistrationTokensResponse,
  QueryRegistrationTokenValidityResponse,
  RegistrationTokenRequest,
  RegistrationTokenResponse,
} from '../api.js';
import { randomString } from './secret-token.js';
import type { UserInternalContext } from './user-internal-context.js';

/** The characters a token may use (URL-safe, as Synapse allows). */
export const REGISTRATION_TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-';
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{1,64}$/;
const DEFAULT_LENGTH = 16;

/**
 * @throws MatrixError `M_INVALID_PARAM` for a malformed or existing token, a length outside 1–64,
 *   a negative or fractional `usesAllowed`, or an `expiryTime` in the past.
 */
export async function performRegistrationTokenCreate(
  ctx: UserInternalContext,
  req: PerformRegistrationTokenCreateRequest,
): Promise<RegistrationTokenResponse> {
  const usesAllowed = checkUsesAllowed(req.usesAllowed ?? null);
  const expiryTime = checkExpiryTime(ctx, req.expiryTime ?? null);
  if (req.token !== undefined) {
    if (typeof req.token !== 'string' || !TOKEN_PATTERN.test(req.token)) {
      throw MatrixError.invalidParam('token must be 1–64 characters of A-Z, a-z, 0-9, ".", "_", "~" and "-"');
    }
    const token = { token: req.token, usesAllowed, pending: 0, completed: 0, expiryTime };
    if (!(await ctx.storage.createRegistrationToken(token))) throw MatrixError.invalidParam(`Token already exists: ${req.token}`);
    return { token };
  }
  const length = req.length ?? DEFAULT_LENGTH;
  if (!Number.isInteger(length) || length < 1 || length > 64) throw MatrixError.invalidParam('length must be an integer from 1 to 64');
  // A short random token can collide with an existing one; draw again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const token = { token: randomString(length, REGISTRATION_TOKEN_ALPHABET), usesAllowed, pending: 0, completed: 0, expiryTime };
    if (await ctx.storage.createRegistrationToken(token)) return { token };
  }
  throw MatrixError.invalidParam('Could not find an unused token of that length');
}

/** Changes `usesAllowed` and/or `expiryTime`; `token` null when there is no such token. */
export async function performRegistrationTokenUpdate(
  ctx: UserInternalContext,
  req: PerformRegistrationTokenUpdateRequest,
): Promise<QueryRegistrationTokenResponse> {
  const changes = {
    usesAllowed: req.usesAllowed === undefined ? undefined : checkUsesAllowed(req.usesAllowed),
    expiryTime: req.expiryTime === undefined ? undefined : checkExpiryTime(ctx, req.expiryTime),
  };
  if (!(await ctx.storage.updateRegistrationToken(req.token, changes))) return { token: null };
  return { token: (await ctx.storage.getRegistrationToken(req.token)) ?? null };
}

export async function performRegistrationTokenDelete(ctx: UserInternalContext, req: RegistrationTokenRequest): Promise<FoundResponse> {
  return { found: await ctx.storage.deleteRegistrationToken(req.token) };
}

/** Every token, or only the valid or invalid ones, ordered by token. */
export async function queryRegistrationTokens(
  ctx: UserInternalContext,
  req: QueryRegistrationTokensRequest,
): Promise<QueryRegistrationTokensResponse> {
  return { tokens: await ctx.storage.listRegistrationTokens(req.valid, ctx.now()) };
}

export async function queryRegistrationToken(ctx: UserInternalContext, req: RegistrationTokenRequest): Promise<QueryRegistrationTokenResponse> {
  return { token: (await ctx.storage.getRegistrationToken(req.token)) ?? null };
}

/** Whether the token exists, has not expired and has uses left (pending ones count as used). */
export async function queryRegistrationTokenValidity(
  ctx: UserInternalContext,
  req: RegistrationTokenRequest,
): Promise<QueryRegistrationTokenValidityResponse> {
  const t = await ctx.storage.getRegistrationToken(req.token);
  const now = ctx.now();
  const valid =
    t !== undefined &&
    (t.usesAllowed === null || t.pending + t.completed < t.usesAllowed) &&
    (t.expiryTime === null || t.expiryTime > now);
  return { valid };
}

function checkUsesAllowed(v: number | null): number | null {
  if (v !== null && (!Number.isSafeInteger(v) || v < 0)) throw MatrixError.invalidParam('uses_allowed must be a non-negative integer or null');
  return v;
}

function checkExpiryTime(ctx: UserInternalContext, v: number | null): number | null {
  if (v === null) return null;
  if (!Number.isSafeInteger(v)) throw MatrixError.invalidParam('expiry_time must be an integer or null');
  if (v < ctx.now()) throw MatrixError.invalidParam('expiry_time must not be in the past');
  return v;
}
