/**
 * User-interactive auth sessions: which stages a client has completed and what the request
 * stored. Sessions expire a fixed time after creation (30 min by default); expired ones are
 * treated as unknown and deleted when new sessions are created.
 */
import type { EmptyResponse, PerformUiaSessionUpdateRequest, UiaSession, UiaSessionIdRequest, UiaSessionResponse } from '../api.js';
import type { StoredUiaSession } from '../storage/index.js';
import { randomString } from './secret-token.js';
import type { UserInternalContext } from './user-internal-context.js';

const SESSION_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ATTEMPTS = 5;

/**
 * Creates a session (no `sessionId`) or updates one: marks `completedStage` done and merges
 * `params` (shallow). `session` null when the session is unknown or expired.
 */
export async function performUiaSessionUpdate(ctx: UserInternalContext, req: PerformUiaSessionUpdateRequest): Promise<UiaSessionResponse> {
  const now = ctx.now();
  if (req.sessionId === undefined) {
    const session: UiaSession = {
      sessionId: randomString(24, SESSION_ID_ALPHABET),
      completed: req.completedStage === undefined ? [] : [req.completedStage],
      params: req.params ?? {},
      createdTs: now,
    };
    await ctx.storage.createUiaSession(session, now - ctx.uiaSessionLifetimeMs);
    return { session };
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await ctx.storage.getUiaSession(req.sessionId, now - ctx.uiaSessionLifetimeMs);
    if (!current) return { session: null };
    const completed =
      req.completedStage === undefined || current.completed.includes(req.completedStage)
        ? current.completed
        : [...current.completed, req.completedStage];
    const params = { ...current.params, ...req.params };
    if (await ctx.storage.updateUiaSession(req.sessionId, { completed, params }, current.version)) {
      return { session: { sessionId: current.sessionId, completed, params, createdTs: current.createdTs } };
    }
  }
  // Five lost races in a row on one session is a client hammering it; answer as the latest state.
  return queryUiaSession(ctx, { sessionId: req.sessionId });
}

/** The session, or null when unknown or expired. */
export async function queryUiaSession(ctx: UserInternalContext, req: UiaSessionIdRequest): Promise<UiaSessionResponse> {
  const s = await ctx.storage.getUiaSession(req.sessionId, ctx.now() - ctx.uiaSessionLifetimeMs);
  return { session: s ? sessionView(s) : null };
}

/** Deletes the session (after registration or login completes); a token use it still held is given back. */
export async function performUiaSessionDelete(ctx: UserInternalContext, req: UiaSessionIdRequest): Promise<EmptyResponse> {
  await ctx.storage.deleteUiaSession(req.sessionId);
  return {};
}

function sessionView(s: StoredUiaSession): UiaSession {
  return { sessionId: s.sessionId, completed: s.completed, params: s.params, createdTs: s.createdTs };
}
