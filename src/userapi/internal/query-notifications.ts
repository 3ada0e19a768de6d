/**
 * `queryNotifications` (`GET /notifications`): the user's notifications, newest first, a page at
 * a time. The token is the last row's notification stream position (opaque to clients). Events
 * are not stored with the notifications: the page's events are read from the roomserver in one
 * call, so they come as the room has them now (redacted once redacted); a notification whose
 * event the roomserver no longer has is left out of the page.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { toClientEvent } from '../../matrix/client-event.js';
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import type { UserRoomserverAPI } from '../../roomserver/api.js';
import type { NotificationEntry, QueryNotificationsRequest, QueryNotificationsResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** Notifications per page at most, whatever the client asks. */
export const MAX_NOTIFICATIONS_LIMIT = 100;
/** Notifications per page when the client names no limit. */
export const DEFAULT_NOTIFICATIONS_LIMIT = 20;

/**
 * @throws MatrixError `M_INVALID_PARAM` for a `from` token this server did not give.
 */
export async function queryNotifications(
  ctx: UserInternalContext,
  roomserver: Pick<UserRoomserverAPI, 'queryEvents'> | undefined,
  req: QueryNotificationsRequest,
): Promise<QueryNotificationsResponse> {
  if (!roomserver) throw new Error('the userapi was built without the roomserver; notifications cannot be listed');
  const before = parseToken(req.from);
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { notifications: [], nextToken: null };
  const limit = req.limit > 0 ? Math.min(Math.floor(req.limit), MAX_NOTIFICATIONS_LIMIT) : DEFAULT_NOTIFICATIONS_LIMIT;
  const rows = await ctx.storage.notifications.getNotifications(localpart, { before, limit, onlyHighlight: req.onlyHighlight });
  const { events } = rows.length === 0 ? { events: [] } : await roomserver.queryEvents({ eventIds: [...new Set(rows.map((r) => r.eventId))] });
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const notifications: NotificationEntry[] = [];
  for (const r of rows) {
    const stored = byId.get(r.eventId);
    if (!stored) continue;
    notifications.push({
      actions: JSON.parse(r.actions) as JsonValue[],
      event: toClientEvent(r.eventId, r.roomId, stored.event) as unknown as JsonObject,
      // Push rules have had no profile tags since r0; the spec keeps the field, Synapse sends null.
      profileTag: null,
      read: r.read,
      roomId: r.roomId,
      ts: r.ts,
    });
  }
  const last = rows[rows.length - 1];
  return { notifications, nextToken: rows.length === limit && last ? String(last.id) : null };
}

function parseToken(from: string | null): number | undefined {
  if (from === null || from === '') return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(from)) throw MatrixError.invalidParam('Unknown pagination token');
  return Number(from);
}
