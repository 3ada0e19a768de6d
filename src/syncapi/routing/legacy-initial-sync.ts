/**
 * `GET /_matrix/client/v3/initialSync`: the route descriptor (the work is in
 * `legacy/perform-initial-sync.ts`). Deprecated since r0 for `/sync`; not for guests (the spec's
 * guest list names only the room form). `limit` is messages per room (10 by default, as Synapse;
 * at most `/sync`'s timeline cap), a negative one 400; `archived=true` adds the rooms left.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT } from '../filter/index.js';
import type { LegacyDeps } from '../legacy/legacy-deps.js';
import { replyWithRawJson } from './raw-json-reply.js';
import { legacyLimit } from '../legacy/legacy-limit.js';
import { performInitialSync } from '../legacy/perform-initial-sync.js';

const InitialSyncQuery = Type.Object({
  limit: Type.Optional(Type.Integer()),
  archived: Type.Optional(Type.Boolean()),
});

/** The `/initialSync` route. */
export function legacyInitialSyncRoutes(deps: LegacyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/initialSync',
      auth: 'user',
      rateLimit: 'default',
      schema: { query: InitialSyncQuery },
      handler: async ({ query, requester, reply }) => {
        const limit = legacyLimit(query.limit, DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT);
        const res = await performInitialSync(deps, { userId: requester!.userId, deviceId: requester!.deviceId }, { limit, archived: query.archived === true });
        return replyWithRawJson(reply, res);
      },
    }),
  ];
}
