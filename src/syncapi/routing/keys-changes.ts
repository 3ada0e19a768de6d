/**
 * `GET /_matrix/client/v3/keys/changes?from=&to=`: the users whose device lists changed, and
 * those the user no longer shares a room with, between two `/sync` tokens — the same
 * computation as `device_lists` of `/sync` (`sync/device-list-changes.ts`), so a client that
 * missed syncs can catch up. A `to` before `from` answers nothing.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { SyncStorage } from '../storage/index.js';
import { deviceListChanges, type DeviceListStorage } from '../sync/device-list-changes.js';
import { parseStreamToken } from '../sync/stream-token.js';

/** What the route reads. */
export interface KeysChangesDeps {
  readonly storage: DeviceListStorage & Pick<SyncStorage, 'userMemberships'>;
}

/** The route. */
export function keysChangesRoutes(deps: KeysChangesDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/keys/changes',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { query: Type.Object({ from: Type.String(), to: Type.String() }) },
      handler: async ({ requester, query }) => {
        const from = parseStreamToken(query.from);
        const to = parseStreamToken(query.to);
        const userId = requester!.userId;
        const memberships = await deps.storage.userMemberships(userId);
        return deviceListChanges(deps.storage, userId, memberships, { from: from.device_list, to: to.device_list, pduFrom: from.pdu, pduTo: to.pdu });
      },
    }),
  ];
}
