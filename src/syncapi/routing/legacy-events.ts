/**
 * `GET /_matrix/client/v3/events` (and its peeking form with `room_id`) and
 * `GET /_matrix/client/v3/events/{eventId}`: the route descriptors (the work is in
 * `legacy/perform-events.ts` and `legacy/perform-get-event.ts`). Deprecated since r0 but still
 * called by older clients and test suites. `/events` is long-polled back to back like `/sync`, so
 * it is not rate-limited; guests may call it to peek (the spec's guest list has it "as used for
 * room previews"). `limit` (room events per answer, Synapse's) and `timeout` (30 s by default,
 * as Synapse; capped as `/sync` caps it) are integers; a negative `limit` is 400.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { LegacyDeps } from '../legacy/legacy-deps.js';
import { replyWithRawJson } from './raw-json-reply.js';
import { legacyLimit } from '../legacy/legacy-limit.js';
import { performEvents, DEFAULT_EVENTS_LIMIT, DEFAULT_EVENTS_TIMEOUT_MS, MAX_EVENTS_LIMIT } from '../legacy/perform-events.js';
import { performGetEvent } from '../legacy/perform-get-event.js';
import { MAX_TIMEOUT_MS } from '../sync/sync-request.js';

const EventsQuery = Type.Object({
  from: Type.Optional(Type.String()),
  timeout: Type.Optional(Type.Integer()),
  limit: Type.Optional(Type.Integer()),
  room_id: Type.Optional(Type.String()),
});

/** The `/events` routes. */
export function legacyEventsRoutes(deps: LegacyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/events',
      auth: 'user-or-guest',
      rateLimit: 'none',
      schema: { query: EventsQuery },
      handler: async ({ query, requester, reply }) => {
        const req = {
          from: query.from === '' ? undefined : query.from,
          timeoutMs: Math.min(Math.max(query.timeout ?? DEFAULT_EVENTS_TIMEOUT_MS, 0), MAX_TIMEOUT_MS),
          limit: legacyLimit(query.limit, DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT),
          roomId: query.room_id,
        };
        // The client hung up: stop waiting (the answer is then written to nobody, harmlessly).
        const gone = new AbortController();
        const onClose = () => gone.abort();
        reply.raw.once('close', onClose);
        try {
          const res = await performEvents(deps, { userId: requester!.userId, deviceId: requester!.deviceId, isGuest: requester!.isGuest }, req, gone.signal);
          return replyWithRawJson(reply, res);
        } finally {
          reply.raw.off('close', onClose);
        }
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/events/:eventId',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Type.Object({ eventId: Type.String() }) },
      handler: async ({ params, requester, reply }) => {
        const event = await performGetEvent(deps, { userId: requester!.userId, deviceId: requester!.deviceId }, params.eventId);
        return replyWithRawJson(reply, event);
      },
    }),
  ];
}
