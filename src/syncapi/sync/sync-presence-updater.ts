/**
 * `set_presence` of `/sync`: polling marks the user `online` (the default) or `unavailable`;
 * `offline` leaves their presence alone (spec: "the client is not marked as being online when
 * it uses this API"). The userapi is asked only when the state would change, not on every poll:
 * the syncapi's copy of the user's presence says what it is, and what this process found or asked
 * for in the last seconds is trusted meanwhile (it covers the time before its consumer has stored
 * a change, and spares a read per poll).
 */
import type { Logger } from 'pino';
import type { PresenceState, SyncUserAPI } from '../../userapi/api.js';
import type { SyncStorage } from '../storage/index.js';

/** Applies a request's `set_presence` for `userId` (never throws: presence is best effort). */
export type SyncPresenceUpdater = (userId: string, setPresence: PresenceState | undefined) => Promise<void>;

/** How long a state this process asked for counts as set while its consumer catches up. */
export const RECENTLY_SET_MS = 10_000;
/** Users whose recent request is remembered (the oldest is forgotten first). */
const MAX_REMEMBERED = 10_000;

export interface SyncPresenceUpdaterDeps {
  readonly userapi: Pick<SyncUserAPI, 'performPresenceUpdate'>;
  readonly storage: Pick<SyncStorage, 'presenceOf'>;
  readonly logger: Pick<Logger, 'warn'>;
  /** `presence.enabled` of the config: when false, `set_presence` changes nothing. */
  readonly enabled: boolean;
  readonly now?: () => number;
}

/** The updater `performSync` calls once per request. */
export function createSyncPresenceUpdater(deps: SyncPresenceUpdaterDeps): SyncPresenceUpdater {
  const now = deps.now ?? Date.now;
  const asked = new Map<string, { presence: PresenceState; at: number }>();
  return async (userId, setPresence) => {
    const wanted = setPresence ?? 'online';
    if (!deps.enabled || wanted === 'offline') return;
    const recent = asked.get(userId);
    if (recent?.presence === wanted && now() - recent.at < RECENTLY_SET_MS) return;
    try {
      const stored = await deps.storage.presenceOf(userId);
      // Remembered either way, so a user polling back to back costs one read per window.
      asked.delete(userId);
      asked.set(userId, { presence: wanted, at: now() });
      if (asked.size > MAX_REMEMBERED) asked.delete(asked.keys().next().value!);
      if (stored?.presence === wanted) return;
      // The status message stays: only the state is the client's polling to change.
      await deps.userapi.performPresenceUpdate({ userId, presence: wanted, statusMsg: stored?.statusMsg ?? null });
    } catch (err) {
      deps.logger.warn({ err, userId }, 'sync: could not update presence');
    }
  };
}
