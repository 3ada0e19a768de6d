/**
 * `GET /_matrix/federation/v1/state/{roomId}?event_id=` and `…/state_ids/{roomId}?event_id=`:
 * the room's state *before* an event ("prior to considering any state changes induced by the
 * requested event", spec) with the auth chain of that state, as PDUs or as event IDs.
 *
 * The asker must be in the room and allowed by its ACL (`room-read-access.ts`); the state is not
 * filtered by history visibility, as in Synapse (`on_room_state_request`/`on_state_ids_request`):
 * a server in the room needs the state to check events against it. An event that is unknown, of
 * another room, an outlier or rejected is 404 (spec: "the server doesn't know about the state at
 * that event").
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { requireRoomReadAccess } from './room-read-access.js';
import type { RoomReadRoutesDeps } from './room-read-deps.js';
import { federationPdu } from './served-pdus.js';

const schema = {
  params: Type.Object({ roomId: Type.String() }),
  query: Type.Object({ event_id: Type.String() }),
};

/** Both routes. */
export function getStateRoutes(deps: RoomReadRoutesDeps): AnyRoute[] {
  const api = deps.readRoomserverApi;
  /** The state before the event and its auth chain, checked and read. */
  const read = async (asker: string, roomId: string, eventId: string, idsOnly: boolean) => {
    await requireRoomReadAccess(api, asker, roomId);
    const state = await api.queryStateBeforeEvent({ roomId, eventId, idsOnly });
    if (!state.found) throw MatrixError.notFound(`No state known at event ${eventId} in room ${roomId}`);
    const chain = await api.queryAuthChain({ eventIds: state.eventIds, idsOnly });
    return { state, chain };
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/state/:roomId',
      auth: 'federation',
      rateLimit: 'default',
      schema,
      handler: async ({ params, query, origin }) => {
        const { state, chain } = await read(origin!.serverName, params.roomId, query.event_id, false);
        return { pdus: state.events.map(federationPdu), auth_chain: chain.events.map(federationPdu) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/state_ids/:roomId',
      auth: 'federation',
      rateLimit: 'default',
      schema,
      handler: async ({ params, query, origin }) => {
        const { state, chain } = await read(origin!.serverName, params.roomId, query.event_id, true);
        return { pdu_ids: state.eventIds, auth_chain_ids: chain.eventIds };
      },
    }),
  ];
}
