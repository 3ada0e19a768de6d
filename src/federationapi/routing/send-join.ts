/**
 * `PUT /_matrix/federation/v1/send_join/{roomId}/{eventId}` and `…/v2/…`: a remote user's
 * join, built from our `make_join` template, accepted into the room (`receive-membership-event.ts`)
 * and answered with what the joining server needs to start: the room's state before the join
 * and the auth chain of that state (`join-state.ts`), plus the join as we co-signed it when we
 * authorised a restricted join. v1 wraps the answer as `[200, body]` (a historical quirk kept by
 * the spec); v2 answers the body, and honours `omit_members` (partial state, spec v1.6).
 */
import Type from 'typebox';
import type { AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import { joinState } from './join-state.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { receiveMembershipEvent } from './receive-membership-event.js';
import { v1AndV2Routes } from './v1-and-v2-routes.js';

const params = Type.Object({ roomId: Type.String(), eventId: Type.String() });
const body = Type.Record(Type.String(), Type.Unknown());
/** `omit_members`: v2 only. */
const query = Type.Object({ omit_members: Type.Optional(Type.Boolean()) });
type JoinSchema = { params: typeof params; body: typeof body; query?: typeof query };

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
  return v1AndV2Routes<JoinSchema>(
    'send_join/:roomId/:eventId',
    { params, body },
    async (c, version) => {
      const answer = await join(c.origin!.serverName, c.params.roomId, c.params.eventId, c.body as JsonObject, version === 2 && c.query.omit_members === true);
      if (version === 2) return answer;
      const { members_omitted: _none, ...v1Answer } = answer;
      return v1Answer;
    },
    { params, body, query },
  );
}
