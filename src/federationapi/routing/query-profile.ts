/**
 * `GET /_matrix/federation/v1/query/profile?user_id=…[&field=…]`: a local user's public profile,
 * or one field of it, for another server.
 *
 * - The user must be ours (the spec: "MUST be a user local to the receiving homeserver"); anyone
 *   else's is 400 M_INVALID_PARAM, as it is a malformed query rather than a missing user.
 * - An unknown (or erased) user is 404 M_NOT_FOUND.
 * - An unset `displayname`/`avatar_url` asked for alone is `null`, one of the two answers the
 *   spec allows for unset fields; `null` rather than 404 because senders such as Synapse treat a
 *   404 for these as a failed lookup, not as "no display name". An unset custom field (v1.16) is
 *   404, the spec's "the queried field does not exist".
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { QueryRoutesDeps } from './query-routes-deps.js';

/** The fields every profile has, set or not. */
const STANDARD_FIELDS: ReadonlySet<string> = new Set(['displayname', 'avatar_url']);

/** The route. */
export function queryProfileRoutes(deps: QueryRoutesDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/query/profile',
      auth: 'federation',
      rateLimit: 'default',
      schema: { query: Type.Object({ user_id: Type.String(), field: Type.Optional(Type.String()) }) },
      handler: async ({ query }) => {
        // Historical localparts are accepted: such users may still exist here.
        const parsed = parseUserId(query.user_id, { allowHistorical: true });
        if (!parsed.ok) throw MatrixError.invalidParam(`Invalid user ID: ${parsed.reason}`);
        if (parsed.value.serverName !== deps.serverName) throw MatrixError.invalidParam('The user is not hosted on this server');
        const { found, profile } = await deps.userApi.queryProfile({ userId: query.user_id });
        if (!found) throw MatrixError.notFound('User does not exist');
        const field = query.field;
        if (field === undefined) return profile;
        const value = Object.hasOwn(profile, field) ? profile[field] : undefined;
        if (value !== undefined) return { [field]: value };
        if (STANDARD_FIELDS.has(field)) return { [field]: null };
        throw MatrixError.notFound(`The user has no profile field ${field}`);
      },
    }),
  ];
}
