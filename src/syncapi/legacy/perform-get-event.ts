/**
 * `GET /events/{eventId}` (deprecated since r0 for `/rooms/{roomId}/event/{eventId}`): one event
 * by its ID alone, when the user may see it — the rules of `/messages` (`history-access.ts`: a
 * room they are or were in, or a world-readable one; before their leave; visible by history
 * visibility). Anything else, unknown events included, is 404 `M_NOT_FOUND`, as the spec asks
 * ("not found or you do not have permission"), so the answer does not tell whether it exists.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import { hiddenEventIds, historyAccess, isReadable } from '../history/history-access.js';
import type { ServedTo } from '../history/history-event.js';
import type { SyncStorage } from '../storage/index.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { legacyEvent } from './legacy-event.js';

/**
 * The event `eventId` as served to `requester`.
 *
 * @throws MatrixError 404 `M_NOT_FOUND` (see the file comment).
 */
export async function performGetEvent(deps: { readonly storage: SyncStorage; readonly roomserver: SyncRoomserverAPI }, requester: ServedTo, eventId: string): Promise<ResponseEvent> {
  const notFound = () => MatrixError.notFound('Event not found');
  const [event] = await deps.storage.eventsByIds([eventId]);
  if (event === undefined) throw notFound();
  const access = await historyAccess(deps, event.roomId, requester.userId).catch((err: unknown) => {
    if (err instanceof MatrixError && err.errcode === 'M_FORBIDDEN') throw notFound();
    throw err;
  });
  if (!isReadable(access, event) || (await hiddenEventIds(deps.roomserver, access, [event])).has(event.eventId)) throw notFound();
  return legacyEvent(event, requester, Date.now());
}
