/**
 * `GET /_matrix/client/v3/notifications`: the events the user was (or would have been) notified
 * about, newest first, paged with `from` / `next_token`; `only=highlight` keeps those with the
 * highlight tweak (any other value filters nothing, as Synapse reads it). Served by the syncapi
 * (the nginx sample routes it here); the notifications themselves are the userapi's
 * (`queryNotifications`). Events are in the client format without `room_id`, which each entry
 * carries beside them (`client_event_without_room_id` in `notifications.yaml`).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import type { NotificationEntry, QueryNotificationsResponse, SyncUserAPI } from '../../userapi/api.js';

/** Notifications per page when the client names no `limit` (the spec's example). */
export const DEFAULT_NOTIFICATIONS_LIMIT = 20;
/** The most notifications one page carries, whatever `limit` asks. */
export const MAX_NOTIFICATIONS_LIMIT = 100;

/** What the route calls. */
export interface NotificationsDeps {
  readonly userapi: Pick<SyncUserAPI, 'queryNotifications'>;
}

const NotificationsQuery = Type.Object({
  from: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer()),
  only: Type.Optional(Type.String()),
});

/** One notification as the spec's `Notification` object. */
export interface NotificationJson {
  actions: JsonValue[];
  event: JsonObject;
  profile_tag?: string;
  read: boolean;
  room_id: string;
  ts: number;
}

/** The response body of `/notifications`. */
export interface NotificationsBody {
  notifications: NotificationJson[];
  next_token?: string;
}

/** The page size for `limit`: the default when absent, at most {@link MAX_NOTIFICATIONS_LIMIT}; 400 below 1. */
export function notificationsLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_NOTIFICATIONS_LIMIT;
  if (limit < 1) throw MatrixError.invalidParam('limit must be greater than zero');
  return Math.min(limit, MAX_NOTIFICATIONS_LIMIT);
}

/** The userapi's answer as the response body. */
export function notificationsBody(res: QueryNotificationsResponse): NotificationsBody {
  const body: NotificationsBody = { notifications: res.notifications.map(notificationJson) };
  if (res.nextToken !== null) body.next_token = res.nextToken;
  return body;
}

function notificationJson(n: NotificationEntry): NotificationJson {
  const event: JsonObject = { ...n.event };
  delete event.room_id;
  const out: NotificationJson = { actions: [...n.actions], event, read: n.read, room_id: n.roomId, ts: n.ts };
  if (n.profileTag !== null) out.profile_tag = n.profileTag;
  return out;
}

/** The `/notifications` route. */
export function notificationsRoutes(deps: NotificationsDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/notifications',
      auth: 'user',
      rateLimit: 'default',
      schema: { query: NotificationsQuery },
      handler: async ({ requester, query }) => {
        const res = await deps.userapi.queryNotifications({
          userId: requester!.userId,
          from: query.from ?? null,
          limit: notificationsLimit(query.limit),
          onlyHighlight: query.only === 'highlight',
        });
        return notificationsBody(res);
      },
    }),
  ];
}
