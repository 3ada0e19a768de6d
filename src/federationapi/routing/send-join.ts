/**
 * `PUT /_matrix/federation/v1/send_join/{roomId}/{eventId}` and `…/v2/…`: a remote user's
 * join, built from our `make_join` template, accepted into the room (`receive-membership-event.ts`)
 * and answered with what the joining server needs to start: the room's state before the join
 * and the auth chain of that state (`join-state.ts`), plus the join as we co-signed it when we
 * authorised a restricted join. v1 wraps the answer as `[200, body]` (a historical quirk kept by
 * the spec); v2 answers the body, and honours `omit_members` (partial state, spec v1.6).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import { joinState } from './join-state.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { receiveMembershipEvent } from './receive-membership-event.js';

const params = Type.Object({ roomId: Type.String(), eventId: Type.String() });
const body = Type.Record(Type.String(), Type.Unknown());

/** Both routes. */
export function sendJoinRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  /** Accepts the join, then reads the answer's state. */
  const join = async (origin: string, roomId: string, eventId: string, pdu: JsonObject, omitMembers: boolean): Promise<JsonObject> => {
    const { event, signedByUs } = await receiveMembershipEvent(deps, { origin, roomId, eventId, body: pdu, membership: 'join' });
    const state = await joinState(deps.membershipRoomserverApi, event, omitMembers);
    return {
      origin: deps.serverName,
      state: state.state,
      auth_chain: state.authChain,
      ...(signedByUs ? { event: event.json } : {}),
      ...(omitMembers ? { members_omitted: true, servers_in_room: state.serversInRoom } : { members_omitted: false }),
    };
  };
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v1/send_join/:roomId/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params, body },
      handler: async (c) => {
        const { members_omitted: _none, ...answer } = await join(c.origin!.serverName, c.params.roomId, c.params.eventId, c.body as JsonObject, false);
        return [200, answer];
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v2/send_join/:roomId/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params, body, query: Type.Object({ omit_members: Type.Optional(Type.Boolean()) }) },
      handler: async (c) => join(c.origin!.serverName, c.params.roomId, c.params.eventId, c.body as JsonObject, c.query.omit_members === true),
    }),
  ];
}
