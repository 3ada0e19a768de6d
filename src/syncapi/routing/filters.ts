/**
 * `POST /user/{userId}/filter` and `GET /user/{userId}/filter/{filterId}`: uploading a `/sync`
 * filter and reading it back. Only for oneself (403 otherwise, as Synapse does); guests may not
 * use them (they are not on the spec's guest list: guest clients pass filters inline). The
 * upload is checked by the same `parseSyncFilter` that `/sync` applies, so a stored filter is
 * always one `/sync` accepts; it is stored as uploaded (canonical JSON), unknown keys included,
 * and the same filter uploaded again gets the same ID.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import { parseSyncFilter } from '../filter/parse-filter.js';
import type { ClientUserAPI } from '../../userapi/api.js';

const UserParams = Type.Object({ userId: Type.String() });
const FilterParams = Type.Object({ userId: Type.String(), filterId: Type.String() });

function requireSelf(requester: Requester | undefined, userId: string, verb: 'create' | 'read'): void {
  if (requester?.userId !== userId) throw MatrixError.forbidden(`You cannot ${verb} filters for other users`);
}

/** What the filter routes need: only the userapi's filter methods, so any component can serve them. */
export interface FilterRouteDeps {
  readonly userApi: Pick<ClientUserAPI, 'performFilterCreate' | 'queryFilter'>;
}

/**
 * The two filter routes, served by the syncapi (the sample nginx config sends
 * `/user/{userId}/filter` there, Dendrite's split); the filters themselves live in the userapi.
 */
export function filterRoutes(deps: FilterRouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/user/:userId/filter',
      auth: 'user',
      rateLimit: 'default',
      // No body schema: `parseSyncFilter` checks it and names the offending field.
      schema: { params: UserParams },
      handler: async ({ params, body, requester }) => {
        requireSelf(requester, params.userId, 'create');
        parseSyncFilter(body);
        const { filterId } = await deps.userApi.performFilterCreate({ userId: params.userId, filter: body as Record<string, unknown> });
        return { filter_id: filterId };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/user/:userId/filter/:filterId',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: FilterParams },
      handler: async ({ params, requester }) => {
        requireSelf(requester, params.userId, 'read');
        const { filter } = await deps.userApi.queryFilter({ userId: params.userId, filterId: params.filterId });
        if (filter === null) throw MatrixError.notFound('No such filter');
        return filter;
      },
    }),
  ];
}
