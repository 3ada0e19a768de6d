/**
 * `PUT /_matrix/federation/v1/send_knock/{roomId}/{eventId}`: a remote user's knock, built from
 * our `make_knock` template and accepted into the room (`receive-membership-event.ts`),
 * answered with the room's stripped state (`knock_room_state`) so the knocker's clients can show
 * what they knocked on: the same events, in the same order, as local knocks carry
 * (`STRIPPED_STATE_TUPLES`), read from the current state once the knock is in.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import { stateMapKey } from '../../matrix/room-event.js';
import { STRIPPED_STATE_TUPLES, toStrippedStateEvent } from '../../roomserver/internal/stripped-state.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { receiveMembershipEvent } from './receive-membership-event.js';

/** The route. */
export function sendKnockRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  const api = deps.membershipRoomserverApi;
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v1/send_knock/:roomId/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ roomId: Type.String(), eventId: Type.String() }),
        body: Type.Record(Type.String(), Type.Unknown()),
      },
      handler: async (c) => {
        const { roomId, eventId } = c.params;
        await receiveMembershipEvent(deps, { origin: c.origin!.serverName, roomId, eventId, body: c.body as JsonObject, membership: 'knock' });
        const { events } = await api.queryState({ roomId, stateTuples: STRIPPED_STATE_TUPLES });
        const byKey = new Map(events.map((e) => [stateMapKey(e.event.type as string, e.event.state_key as string), e.event]));
        const knockRoomState = STRIPPED_STATE_TUPLES.flatMap(([t, k]) => {
          const pdu = byKey.get(stateMapKey(t, k));
          return pdu ? [toStrippedStateEvent(pdu)] : [];
        });
        return { knock_room_state: knockRoomState };
      },
    }),
  ];
}
