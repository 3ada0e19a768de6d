/** Reading presence, and the view of a stored presence every presence operation returns. */
import type { QueryPresenceRequest, QueryPresenceResponse, UserPresence } from '../api.js';
import type { StoredPresence } from '../storage/index.js';
import { findAccount } from './account-view.js';
import type { UserInternalContext } from './user-internal-context.js';

/**
 * How long after their last activity an `online` user counts as currently active (Synapse's
 * `LAST_ACTIVE_GRANULARITY`): within it, clients need no `last_active_ago` updates.
 */
export const CURRENTLY_ACTIVE_WINDOW_MS = 60_000;

/**
 * The presence of each distinct local user asked for that has an account. A user who never set
 * presence, and a deactivated one, is `offline`.
 */
export async function queryPresence(ctx: UserInternalContext, req: QueryPresenceRequest): Promise<QueryPresenceResponse> {
  const userIds = [...new Set(req.userIds)];
  const accounts = await Promise.all(userIds.map((u) => findAccount(ctx, u)));
  const active = accounts.flatMap((a) => (a && !a.deactivated ? [a.localpart] : []));
  const stored = new Map((await ctx.storage.getPresence(active)).map((p) => [p.localpart, p]));
  const now = ctx.now();
  const presences: UserPresence[] = [];
  userIds.forEach((userId, i) => {
    const account = accounts[i];
    if (!account) return;
    const p = account.deactivated ? undefined : stored.get(account.localpart);
    presences.push(p ? presenceView(userId, p, now) : neverSet(userId));
  });
  return { presences };
}

/** The API's view of a stored presence at `now`. */
export function presenceView(userId: string, p: StoredPresence, now: number): UserPresence {
  const ago = p.lastActiveTs === null ? null : Math.max(0, now - p.lastActiveTs);
  return {
    userId,
    presence: p.presence,
    statusMsg: p.statusMsg,
    lastActiveTs: p.lastActiveTs,
    lastActiveAgo: ago,
    currentlyActive: p.presence === 'online' && ago !== null && ago < CURRENTLY_ACTIVE_WINDOW_MS,
    streamPosition: p.streamPosition,
  };
}

function neverSet(userId: string): UserPresence {
  return { userId, presence: 'offline', statusMsg: null, lastActiveTs: null, lastActiveAgo: null, currentlyActive: false, streamPosition: 0 };
}
