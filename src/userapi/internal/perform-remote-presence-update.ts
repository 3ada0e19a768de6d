/**
 * Recording another server's user's presence, as its server announced it in an `m.presence`
 * EDU. It goes through the same table and stream as our users' presence, so the syncapi shows
 * it to the users who share a room with them exactly as it shows local presence. Remote users
 * have no localpart here: their row is keyed by their full user ID, which cannot collide with a
 * localpart (localparts never contain `:`).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { PerformRemotePresenceUpdateRequest, PerformRemotePresenceUpdateResponse, PresenceState } from '../api.js';
import type { UserInternalContext } from './user-internal-context.js';

const STATES: ReadonlySet<string> = new Set<PresenceState>(['online', 'unavailable', 'offline']);

/**
 * Stores and announces the presence.
 * @throws MatrixError `M_INVALID_PARAM` for an unknown state, a malformed user ID or one of ours.
 */
export async function performRemotePresenceUpdate(ctx: UserInternalContext, req: PerformRemotePresenceUpdateRequest): Promise<PerformRemotePresenceUpdateResponse> {
  if (!STATES.has(req.presence)) throw MatrixError.invalidParam(`Unknown presence state ${String(req.presence)}`);
  const user = parseUserId(req.userId, { allowHistorical: true });
  if (!user.ok) throw MatrixError.invalidParam(`Invalid user ID ${req.userId}`);
  if (user.value.serverName === ctx.serverName) throw MatrixError.invalidParam(`${req.userId} is a local user: its presence is set by its own requests`);
  const stored = await ctx.storage.putPresence({
    localpart: req.userId,
    userId: req.userId,
    presence: req.presence,
    statusMsg: req.presence === 'offline' ? null : (req.statusMsg ?? null),
    lastActiveTs: req.lastActiveTs,
  });
  await ctx.flushOutbox();
  return { streamPosition: stored.streamPosition };
}
