/**
 * `GET /_matrix/client/v3/sync`: the route descriptor. Guests may sync. Not rate-limited: a
 * client long-polls it back to back by design. The response is written as text, with stored
 * events spliced in unparsed (`raw-json.ts`).
 */
import Type from 'typebox';
import { defineRoute, RAW_REPLY_SENT, type AnyRoute } from '../../internal/httputil/route.js';
import type { SyncUserAPI } from '../../userapi/api.js';
import { addOneTimeKeyCounts } from '../sync/one-time-key-counts.js';
import { performSync, type PerformSyncDeps } from '../sync/perform-sync.js';
import { stringifyWithRaw } from '../sync/raw-json.js';
import { cachedSyncFilterResolver } from '../sync/sync-filter-cache.js';
import { parseSyncRequest } from '../sync/sync-request.js';

const SyncQuerySchema = Type.Object({
  filter: Type.Optional(Type.String()),
  since: Type.Optional(Type.String()),
  timeout: Type.Optional(Type.Integer()),
  full_state: Type.Optional(Type.Boolean()),
  set_presence: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unavailable')])),
  use_state_after: Type.Optional(Type.Boolean()),
});

/** What the route needs: the sync itself, and the userapi's stored filters (`filter=<id>`). */
export interface SyncRouteDeps extends PerformSyncDeps {
  readonly userapi: Pick<SyncUserAPI, 'queryFilter' | 'queryOneTimeKeyCounts'>;
}

/** The sync route. */
export function syncRoutes(deps: SyncRouteDeps): AnyRoute[] {
  const filters = cachedSyncFilterResolver(deps.userapi);
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/sync',
      auth: 'user-or-guest',
      rateLimit: 'none',
      schema: { query: SyncQuerySchema },
      handler: async ({ query, requester, reply }) => {
        const userId = requester!.userId;
        const req = await parseSyncRequest(query, (param) => filters(param, userId));
        // The client hung up: stop waiting (the answer is then written to nobody, harmlessly).
        const gone = new AbortController();
        const onClose = () => gone.abort();
        reply.raw.once('close', onClose);
        try {
          const res = await performSync(deps, { userId: requester!.userId, deviceId: requester!.deviceId }, req, gone.signal);
          await addOneTimeKeyCounts(deps.userapi, requester!, res);
          void reply.code(200).type('application/json').send(stringifyWithRaw(res));
        } finally {
          reply.raw.off('close', onClose);
        }
        return RAW_REPLY_SENT;
      },
    }),
  ];
}
