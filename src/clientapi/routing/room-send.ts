/**
 * Sending into a room: `PUT /rooms/{roomId}/send/{eventType}/{txnId}` and
 * `PUT /rooms/{roomId}/redact/{eventId}/{txnId}`. Both are idempotent per (device, transaction
 * ID) through the roomserver's transaction support, so a client retrying after a lost response
 * gets the same event ID and no duplicate.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import type { JsonObject } from '../../matrix/json.js';
import type { ProtoEvent } from '../../roomserver/api.js';
import { forbidIfSuspended, forbidSuspendedRedaction } from '../auth/forbid-if-suspended.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const Content = Type.Record(Type.String(), Type.Unknown());

/** The transaction a client request names; appservices without a device share one scope. */
function transactionOf(requester: Requester, transactionId: string): NonNullable<ProtoEvent['transaction']> {
  return { deviceId: requester.deviceId ?? '', transactionId };
}

export function roomSendRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const send = async (proto: ProtoEvent): Promise<object> => {
    checkRoomIdParam(proto.roomId);
    const { eventIds } = await deps.roomserverApi.performSendEvents({ events: [proto] });
    return { event_id: eventIds[0] };
  };
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/rooms/:roomId/send/:eventType/:txnId',
      auth: 'user',
      rateLimit: 'message',
      schema: { params: Type.Object({ roomId: Type.String(), eventType: Type.String(), txnId: Type.String() }), body: Content },
      handler: async ({ params, body, requester }) => {
        // A suspended user may still redact their own events, through `/send` too (room v11 puts `redacts` in content).
        if (params.eventType === 'm.room.redaction') await forbidSuspendedRedaction(deps.roomserverApi, requester, params.roomId, body.redacts);
        else forbidIfSuspended(requester);
        return send({
          roomId: params.roomId,
          type: params.eventType,
          sender: requester!.userId,
          content: body as JsonObject,
          transaction: transactionOf(requester!, params.txnId),
        });
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/rooms/:roomId/redact/:eventId/:txnId',
      auth: 'user',
      rateLimit: 'message',
      schema: {
        params: Type.Object({ roomId: Type.String(), eventId: Type.String(), txnId: Type.String() }),
        body: Type.Object({ reason: Type.Optional(Type.String()) }),
      },
      handler: async ({ params, body, requester }) => {
        await forbidSuspendedRedaction(deps.roomserverApi, requester, params.roomId, params.eventId);
        return send({
          roomId: params.roomId,
          type: 'm.room.redaction',
          sender: requester!.userId,
          content: body.reason !== undefined ? { reason: body.reason } : {},
          redacts: params.eventId,
          transaction: transactionOf(requester!, params.txnId),
        });
      },
    }),
  ];
}
