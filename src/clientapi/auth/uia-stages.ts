/**
 * The UIA stage types this server checks: `m.login.dummy`, `m.login.password` (the requester
 * proving they know their password) and `m.login.registration_token` (reserving one use of a
 * token for the registration in progress). A stage either passes, optionally leaving params in
 * the session, or fails with the error the 401 challenge reports.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { ClientUserAPI } from '../../userapi/api.js';
import type { FailedLoginLimiter } from './failed-login-limiter.js';
import { resolveLoginUser } from './resolve-login-user.js';

/** The auth dict a client submits (`auth` in the body). */
export interface AuthDict {
  readonly type?: string;
  readonly session?: string;
  readonly [key: string]: unknown;
}

/** What a stage needs to know beyond the dict. */
export interface StageContext {
  readonly userApi: Pick<ClientUserAPI, 'queryPasswordCheck' | 'performRegistrationTokenReserve'>;
  readonly serverName: string;
  readonly failedLogins: FailedLoginLimiter;
  /** The user the session is bound to ('' when unauthenticated, e.g. registration). */
  readonly userId: string;
}

export type StageResult =
  | { readonly ok: true; readonly params?: Record<string, unknown> }
  | { readonly ok: false; readonly error: MatrixError };

type StageCheck = (auth: AuthDict, ctx: StageContext, sessionId: string) => Promise<StageResult>;

/** Session param holding the registration token reserved by the token stage. */
export const REGISTRATION_TOKEN_PARAM = 'registrationToken';

const STAGES: Readonly<Record<string, StageCheck>> = {
  'm.login.dummy': async () => ({ ok: true }),
  'm.login.password': checkPassword,
  'm.login.registration_token': checkRegistrationToken,
};

/** Runs the check of stage `type` within session `sessionId`; an unknown type fails. */
export async function checkStage(type: string, auth: AuthDict, ctx: StageContext, sessionId: string): Promise<StageResult> {
  const check = Object.hasOwn(STAGES, type) ? STAGES[type] : undefined;
  if (!check) return { ok: false, error: MatrixError.unrecognized(`Unknown auth stage type ${type}`, 401) };
  return check(auth, ctx, sessionId);
}

async function checkPassword(auth: AuthDict, ctx: StageContext): Promise<StageResult> {
  // Only an authenticated user re-proving their identity uses this stage; nothing else binds a user.
  if (ctx.userId === '') return { ok: false, error: MatrixError.forbidden('Password auth needs an authenticated user') };
  let named: string;
  try {
    named = resolveLoginUser(auth, ctx.serverName);
  } catch (e) {
    if (e instanceof MatrixError) return { ok: false, error: e };
    throw e;
  }
  if (named !== ctx.userId) return { ok: false, error: MatrixError.forbidden('The identifier does not name the authenticated user') };
  if (typeof auth.password !== 'string') return { ok: false, error: MatrixError.missingParam("Missing field 'password'") };
  ctx.failedLogins.check(ctx.userId);
  const { ok } = await ctx.userApi.queryPasswordCheck({ userId: ctx.userId, password: auth.password });
  if (ok) return { ok: true };
  ctx.failedLogins.recordFailure(ctx.userId);
  return { ok: false, error: MatrixError.forbidden('Invalid password') };
}

/** The use is reserved for the session, so the userapi gives it back if the session is abandoned. */
async function checkRegistrationToken(auth: AuthDict, ctx: StageContext, sessionId: string): Promise<StageResult> {
  const token = auth.token;
  if (typeof token !== 'string') return { ok: false, error: MatrixError.missingParam("Missing field 'token'") };
  try {
    await ctx.userApi.performRegistrationTokenReserve({ token, sessionId });
  } catch (e) {
    if (e instanceof MatrixError && e.status < 500) return { ok: false, error: MatrixError.forbidden('Invalid registration token') };
    throw e;
  }
  return { ok: true, params: { [REGISTRATION_TOKEN_PARAM]: token } };
}
