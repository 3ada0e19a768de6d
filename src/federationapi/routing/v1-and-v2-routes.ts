/**
 * One federation `PUT` served under `v1` and `v2`. The `v1` forms of `send_join` and
 * `send_leave` wrap their answer as `[200, body]` (a historical quirk the spec keeps); `v2`
 * answers the body itself. The handler is told which version it serves, for the rare other
 * difference (`send_join`'s `omit_members` exists only in `v2`).
 */
import { defineRoute, type AnyRoute, type RouteContext, type RouteSchemas } from '../../internal/httputil/route.js';

/** A federation API version with both forms of a route. */
export type V1OrV2 = 1 | 2;

/**
 * The routes `/_matrix/federation/v1/${path}` and `…/v2/${path}`, both answering
 * `answer(c, version)`: wrapped for `v1`, as is for `v2`. `v2Schema`, when given, replaces
 * `schema` for `v2` (a parameter `v1` never had).
 */
export function v1AndV2Routes<S extends RouteSchemas>(
  path: string,
  schema: S,
  answer: (c: RouteContext<S>, version: V1OrV2) => Promise<object>,
  v2Schema: S = schema,
): AnyRoute[] {
  return ([1, 2] as const).map((version) =>
    defineRoute({
      method: 'PUT',
      path: `/_matrix/federation/v${version}/${path}`,
      auth: 'federation',
      rateLimit: 'default',
      schema: version === 1 ? schema : v2Schema,
      handler: async (c) => {
        const body = await answer(c, version);
        return version === 1 ? [200, body] : body;
      },
    }),
  );
}
