/**
 * `m.presence` from another server: its users' presence (`push`: a list of updates). Each
 * update must be about a user of the sending server; it is recorded through the userapi, which
 * announces it on `OutputPresenceEvent` like our own users' presence, so sync shows it to the
 * users sharing a room with them. `last_active_ago` becomes an absolute time on our clock.
 */
import { isJsonObject, type JsonValue } from '../../matrix/json.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { PresenceState } from '../../userapi/api.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';

const STATES: ReadonlySet<unknown> = new Set<PresenceState>(['online', 'unavailable', 'offline']);

/** Handles one `m.presence` EDU's content; the updates dropped and why. */
export async function handlePresenceEdu(deps: SendTransactionDeps, origin: string, content: JsonValue | undefined): Promise<string[]> {
  const api = deps.presenceUserApi;
  if (!api) return ['presence is not handled by this deployment'];
  if (!isJsonObject(content) || !Array.isArray(content.push)) return ['content.push is not a list'];
  const dropped: string[] = [];
  for (const update of content.push) {
    if (!isJsonObject(update) || typeof update.user_id !== 'string' || !STATES.has(update.presence)) {
      dropped.push('malformed update');
      continue;
    }
    const user = parseUserId(update.user_id, { allowHistorical: true });
    if (!user.ok || user.value.serverName !== origin) {
      dropped.push(`${update.user_id} is not a user of ${origin}`);
      continue;
    }
    const ago = typeof update.last_active_ago === 'number' && update.last_active_ago >= 0 ? update.last_active_ago : undefined;
    await api.performRemotePresenceUpdate({
      userId: update.user_id,
      presence: update.presence as PresenceState,
      statusMsg: typeof update.status_msg === 'string' ? update.status_msg : null,
      lastActiveTs: ago === undefined ? null : deps.now() - ago,
    });
  }
  return dropped;
}
