/**
 * `GET /_synapse/admin/v2/users`: local accounts a page at a time, as Synapse lists them, so
 * admin tools written for Synapse (synapse-admin, scripts) page, filter and sort Axon's users.
 *
 * Pagination is Synapse's: `from` is an offset and `next_token` the offset of the next page,
 * present while `from + limit < total`. Like Synapse, deactivated and locked accounts are left
 * out unless asked for, and guests are listed unless `guests=false`.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { AccountListOrder } from '../../userapi/api.js';
import { listedUserJson } from './admin-user-common.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/**
 * Synapse's `order_by` values and what each sorts on here. No account has a user type or a
 * shadow ban, so ordering by those leaves only the tie-break: ascending user ID.
 */
const ORDERS: Readonly<Record<string, AccountListOrder | 'tie-break'>> = {
  name: 'name',
  displayname: 'displayname',
  is_guest: 'guest',
  admin: 'admin',
  deactivated: 'deactivated',
  user_type: 'tie-break',
  avatar_url: 'avatarUrl',
  shadow_banned: 'tie-break',
  creation_ts: 'creationTs',
  last_seen_ts: 'lastSeenTs',
  locked: 'locked',
};

const Query = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  user_id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  guests: Type.Optional(Type.Boolean()),
  deactivated: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
  admins: Type.Optional(Type.Boolean()),
  order_by: Type.Optional(Type.String()),
  dir: Type.Optional(Type.Union([Type.Literal('f'), Type.Literal('b')])),
  not_user_type: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
});

function orderOf(orderBy: string | undefined): AccountListOrder | 'tie-break' {
  const order = ORDERS[orderBy ?? 'name'];
  if (order === undefined) {
    throw MatrixError.invalidParam(`Query parameter "order_by" must be one of [${Object.keys(ORDERS).join(', ')}]`);
  }
  return order;
}

/** The list route. */
export function adminUsersListRoute(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_synapse/admin/v2/users',
    auth: 'admin',
    rateLimit: 'none',
    schema: { query: Query },
    handler: async ({ query }) => {
      const order = orderOf(query.order_by);
      const offset = query.from ?? 0;
      const limit = query.limit ?? 100;
      // `not_user_type=` (empty) excludes accounts without a type: that is every Axon account.
      const notTypes = query.not_user_type === undefined ? [] : [query.not_user_type].flat();
      if (notTypes.includes('')) return { users: [], total: 0 };
      const { accounts, total } = await deps.userApi.queryAccounts({
        offset,
        limit,
        // Synapse ignores empty filters, and `user_id` whenever `name` is given.
        nameContains: query.name || undefined,
        userIdContains: query.name ? undefined : query.user_id || undefined,
        includeGuests: query.guests ?? true,
        includeDeactivated: query.deactivated ?? false,
        includeLocked: query.locked ?? false,
        admins: query.admins,
        orderBy: order === 'tie-break' ? 'name' : order,
        descending: order !== 'tie-break' && query.dir === 'b',
      });
      return {
        users: accounts.map(listedUserJson),
        total,
        ...(offset + limit < total ? { next_token: String(offset + accounts.length) } : {}),
      };
    },
  });
}
