/**
 * User-interactive auth for one request (spec "User-Interactive Authentication API"). The
 * session lives in the userapi, not in this process, so the stages of one session may hit
 * different clientapi instances (polylith, scale-out). The caller gets either a `complete`
 * session, performs its operation and then calls {@link finishUserInteractiveAuth}, or a 401
 * `challenge` response to return as is.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonResponse } from '../../internal/httputil/route.js';
import { isJsonObject } from '../../matrix/json.js';
import type { ClientUserAPI, UiaSession } from '../../userapi/api.js';
import { uiaChallengeResponse } from './uia-challenge.js';
import { isFlowComplete, isNextStage, type UiaFlow } from './uia-flows.js';
import { compareBinding, storedBinding, type RequestBinding } from './uia-request-binding.js';
import { checkStage, type AuthDict, type StageContext } from './uia-stages.js';

/**
 * A backstop to the userapi's own expiry (30 min by default): whatever that is configured to,
 * a clientapi never accepts stages completed longer ago than this.
 */
export const UIA_SESSION_LIFETIME_MS = 60 * 60 * 1000;

/** Session param holding the {@link RequestBinding}. */
const BINDING_PARAM = 'binding';

export interface UiaRequest {
  readonly userApi: Pick<ClientUserAPI, 'performUiaSessionUpdate' | 'queryUiaSession'>;
  readonly stage: StageContext;
  readonly flows: readonly UiaFlow[];
  /** Per-stage params shown to the client. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The `auth` field of the body, if any. */
  readonly auth: unknown;
  readonly binding: RequestBinding;
  readonly now?: () => number;
}

export type UiaOutcome =
  | { readonly kind: 'complete'; readonly session: UiaSession }
  | { readonly kind: 'challenge'; readonly response: JsonResponse };

/**
 * Advances the request's UIA session by the submitted stage, if any.
 * @throws M_BAD_JSON for a malformed `auth`, M_UNKNOWN (400) for an unknown or expired session,
 *   M_FORBIDDEN when the session was started by a different request.
 */
export async function runUserInteractiveAuth(req: UiaRequest): Promise<UiaOutcome> {
  const challenge = (session: UiaSession, error?: MatrixError): UiaOutcome => ({
    kind: 'challenge',
    response: uiaChallengeResponse({ flows: req.flows, params: req.params ?? {}, sessionId: session.sessionId, completed: session.completed, error }),
  });
  if (req.auth === undefined || req.auth === null) return challenge(await newSession(req));
  if (!isJsonObject(req.auth)) throw MatrixError.badJson("'auth' must be an object");
  const auth = req.auth as AuthDict;
  if (auth.type !== undefined && typeof auth.type !== 'string') throw MatrixError.badJson("'auth.type' must be a string");
  if (auth.session !== undefined && typeof auth.session !== 'string') throw MatrixError.badJson("'auth.session' must be a string");

  let session = auth.session === undefined ? await newSession(req) : await existingSession(req, auth.session);
  // A completed stage is not re-run: the client retrying it gets the current state (spec).
  if (auth.type !== undefined && !session.completed.includes(auth.type)) {
    if (!isNextStage(req.flows, session.completed, auth.type)) {
      return challenge(session, MatrixError.forbidden(`Stage ${auth.type} is not the next stage of any flow`));
    }
    const result = await checkStage(auth.type, auth, req.stage, session.sessionId);
    if (!result.ok) return challenge(session, result.error);
    session = await update(req, { sessionId: session.sessionId, completedStage: auth.type, params: result.params });
  }
  return isFlowComplete(req.flows, session.completed) ? { kind: 'complete', session } : challenge(session);
}

/** Deletes a session once its operation succeeded, so its stages cannot be spent twice. */
export async function finishUserInteractiveAuth(userApi: Pick<ClientUserAPI, 'performUiaSessionDelete'>, session: UiaSession): Promise<void> {
  await userApi.performUiaSessionDelete({ sessionId: session.sessionId });
}

async function newSession(req: UiaRequest): Promise<UiaSession> {
  return update(req, { params: { [BINDING_PARAM]: { ...req.binding } } });
}

async function existingSession(req: UiaRequest, sessionId: string): Promise<UiaSession> {
  const { session } = await req.userApi.queryUiaSession({ sessionId });
  const now = (req.now ?? Date.now)();
  if (!session || now - session.createdTs > UIA_SESSION_LIFETIME_MS) {
    throw MatrixError.unknown(`Unknown or expired auth session ${sessionId}`);
  }
  const stored = storedBinding(session.params[BINDING_PARAM]);
  const verdict = stored ? compareBinding(stored, req.binding) : 'changed';
  if (verdict === 'changed') throw MatrixError.forbidden('Requested operation has changed during the UI authentication session');
  if (verdict === 'rebind') return update(req, { sessionId, params: { [BINDING_PARAM]: { ...req.binding } } });
  return session;
}

async function update(req: UiaRequest, u: Parameters<ClientUserAPI['performUiaSessionUpdate']>[0]): Promise<UiaSession> {
  const { session } = await req.userApi.performUiaSessionUpdate(u);
  if (!session) throw MatrixError.unknown('The auth session has expired');
  return session;
}
