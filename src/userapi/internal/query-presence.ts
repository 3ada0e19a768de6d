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
 * The presence of each distinct user asked for: local users with an account (one who never set
 * presence, or is deactivated, is `offline`), and remote users whose server told us theirs
 * (stored under their full ID, see perform-remote-presence-update.ts); others are left out.
 */
export async function queryPresence(ctx: UserInternalContext, req: QueryPresenceRequest): Promise<QueryPresenceResponse> {
  const userIds = [...new Set(req.userIds)];
  const suffix = `:${ctx.serverName}`;
  const isLocal = (u: string): boolean => u.endsWith(suffix);
  const accounts = await Promise.all(userIds.map((u) => (isLocal(u) ? findAccount(ctx, u) : Promise.resolve(undefined))));
  const keys = userIds.flatMap((u, i) => {
    if (!isLocal(u)) return [u];
    const a = accounts[i];
    return a && !a.deactivated ? [a.localpart] : [];
  });
  const stored = new Map((await ctx.storage.getPresence(keys)).map((p) => [p.localpart, p]));
  const now = ctx.now();
  const presences: UserPresence[] = [];
  userIds.forEach((userId, i) => {
    if (!isLocal(userId)) {
      const remote = stored.get(userId);
      if (remote) presences.push(presenceView(userId, remote, now));
      return;
    }
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
