/**
 * The 401 body of user-interactive auth: the flows, their params, the session, the stages done
 * so far and, after a failed attempt, the `errcode`/`error` of that attempt. It is a response,
 * not a thrown MatrixError, because the first challenge carries no `errcode` at all.
 */
import type { MatrixError } from '../../internal/errors/matrix-error.js';
import { jsonResponse, type JsonResponse } from '../../internal/httputil/route.js';
import type { UiaFlow } from './uia-flows.js';

/** What a 401 challenge says. */
export interface UiaChallenge {
  readonly flows: readonly UiaFlow[];
  /** Per-stage parameters the client needs (e.g. a terms-of-service document), by stage type. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly sessionId: string;
  readonly completed: readonly string[];
  /** Why the last attempt at a stage failed, if it did. */
  readonly error?: MatrixError;
}

/** The 401 response for a challenge. */
export function uiaChallengeResponse(c: UiaChallenge): JsonResponse {
  const body: Record<string, unknown> = {
    ...(c.error ? { errcode: c.error.errcode, error: c.error.message } : {}),
    flows: c.flows.map((stages) => ({ stages: [...stages] })),
    params: c.params,
    session: c.sessionId,
    ...(c.completed.length > 0 ? { completed: [...c.completed] } : {}),
  };
  return jsonResponse(401, body);
}
