/**
 * `PUT /_matrix/federation/v1/send_leave/{roomId}/{eventId}` and `…/v2/…`: a remote user's
 * leave (or invite rejection), built from our `make_leave` template and accepted into the room
 * (`receive-membership-event.ts`). The answer is empty: v1 as `[200, {}]`, v2 as `{}`.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { receiveMembershipEvent } from './receive-membership-event.js';

const schema = {
  params: Type.Object({ roomId: Type.String(), eventId: Type.String() }),
  body: Type.Record(Type.String(), Type.Unknown()),
};

/** Both routes. */
export function sendLeaveRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  const leave = async (origin: string, roomId: string, eventId: string, body: JsonObject): Promise<void> => {
    await receiveMembershipEvent(deps, { origin, roomId, eventId, body, membership: 'leave' });
  };
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v1/send_leave/:roomId/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema,
      handler: async (c) => {
        await leave(c.origin!.serverName, c.params.roomId, c.params.eventId, c.body as JsonObject);
        return [200, {}];
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v2/send_leave/:roomId/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema,
      handler: async (c) => {
        await leave(c.origin!.serverName, c.params.roomId, c.params.eventId, c.body as JsonObject);
        return {};
      },
    }),
  ];
}
