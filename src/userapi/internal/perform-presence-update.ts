/** Setting a user's presence. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformPresenceUpdateRequest, PerformPresenceUpdateResponse, PresenceState } from '../api.js';
import { requireActiveAccount } from './account-view.js';
import { presenceView } from './query-presence.js';
import type { UserInternalContext } from './user-internal-context.js';

const STATES: ReadonlySet<string> = new Set<PresenceState>(['online', 'unavailable', 'offline']);

/**
 * Stores the presence and announces it on `OutputPresenceEvent`. Setting `online` is activity
 * (the spec's "pro-active event"), so it moves the last-active time to now; the other states
 * keep it. Each call replaces the status message, and `offline` clears it, as Synapse does.
 *
 * @throws MatrixError `M_INVALID_PARAM` for an unknown state, `M_NOT_FOUND` for an unknown
 *   user, `M_USER_DEACTIVATED` for a deactivated one.
 */
export async function performPresenceUpdate(ctx: UserInternalContext, req: PerformPresenceUpdateRequest): Promise<PerformPresenceUpdateResponse> {
  // Checked here as well as in the clientapi: inthttp callers get no schema in between.
  if (!STATES.has(req.presence)) throw MatrixError.invalidParam(`Unknown presence state ${String(req.presence)}`);
  const account = await requireActiveAccount(ctx, req.userId);
  const now = ctx.now();
  const stored = await ctx.storage.putPresence({
    localpart: account.localpart,
    userId: req.userId,
    presence: req.presence,
    statusMsg: req.presence === 'offline' ? null : (req.statusMsg ?? null),
    lastActiveTs: req.presence === 'online' ? now : null,
  });
  await ctx.flushOutbox();
  return { presence: presenceView(req.userId, stored, now) };
}
