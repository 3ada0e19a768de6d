/**
 * `PUT /_matrix/federation/v1/send_leave/{roomId}/{eventId}` and `…/v2/…`: a remote user's
 * leave (or invite rejection), built from our `make_leave` template and accepted into the room
 * (`receive-membership-event.ts`). The answer is empty: v1 as `[200, {}]`, v2 as `{}`.
 */
import Type from 'typebox';
import type { AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { receiveMembershipEvent } from './receive-membership-event.js';
import { v1AndV2Routes } from './v1-and-v2-routes.js';

const schema = {
  params: Type.Object({ roomId: Type.String(), eventId: Type.String() }),
  body: Type.Record(Type.String(), Type.Unknown()),
};

/** Both routes. */
export function sendLeaveRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  return v1AndV2Routes('send_leave/:roomId/:eventId', schema, async (c) => {
    const { roomId, eventId } = c.params;
    await receiveMembershipEvent(deps, { origin: c.origin!.serverName, roomId, eventId, body: c.body as JsonObject, membership: 'leave' });
    return {};
  });
}
