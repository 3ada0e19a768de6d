/**
 * `PUT /sendToDevice/{eventType}/{txnId}` (spec "Send-to-Device messaging"): `{messages: {userId:
 * {deviceId | '*': content}}}` becomes one `OutputSendToDeviceEvent` message per recipient
 * device; the syncapi stores those of local users, the federationapi sends the others on.
 * Guests may call it (spec "Guest access").
 *
 * Idempotent per (device, event type, transaction ID), as `/send` is. Two layers:
 * - a bounded in-memory record of the transactions this process accepted (Synapse keeps one
 *   too), so a retry is answered without publishing anything again;
 * - every message's ID is derived from (sender, device, event type, transaction ID, recipient
 *   user, recipient device), so a retry that the record misses (after a restart, or on another
 *   clientapi instance) republishes the same IDs, and the consumers drop what they already hold
 *   (the syncapi per device, the remote server by `message_id`). A retry arriving after the
 *   recipient device already acknowledged the message delivers it once more.
 *
 * Limits: each message's content at most 64 KiB of JSON (413 `M_TOO_LARGE`; it travels alone in
 * an EDU, which must fit a PDU's 65,536 bytes); the whole body at most 8 MiB (a key share with
 * a large room's devices is big). Malformed user IDs are 400 `M_INVALID_PARAM`; unknown users
 * and devices are dropped silently by whoever stores the message (the spec has no error for them).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import { boundedCache } from '../../internal/util/bounded-cache.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { JsonObject } from '../../matrix/json.js';
import { publishSendToDevice, toDeviceMessageId, type SendToDeviceMessage } from '../producers/output-send-to-device.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** The largest content of one message (bytes of its JSON). */
export const MAX_TO_DEVICE_CONTENT_BYTES = 65_536;
/** The largest request body. */
const MAX_SEND_TO_DEVICE_BODY_BYTES = 8 * 1024 * 1024;
/** Transactions remembered per process. */
const REMEMBERED_TRANSACTIONS = 10_000;

const Params = Type.Object({ eventType: Type.String({ minLength: 1 }), txnId: Type.String({ minLength: 1 }) });
const Body = Type.Object({
  messages: Type.Record(Type.String(), Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()))),
});

/** The request's messages, one per recipient device, checked before anything is published. */
export function toDeviceMessages(
  requester: Pick<Requester, 'userId' | 'deviceId'>,
  eventType: string,
  txnId: string,
  messages: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): Omit<SendToDeviceMessage, 'type'>[] {
  const out: Omit<SendToDeviceMessage, 'type'>[] = [];
  for (const [userId, devices] of Object.entries(messages)) {
    if (!parseUserId(userId, { allowHistorical: true }).ok) throw MatrixError.invalidParam(`Invalid user ID: ${userId.slice(0, 255)}`);
    for (const [deviceId, content] of Object.entries(devices)) {
      if (Buffer.byteLength(JSON.stringify(content), 'utf8') > MAX_TO_DEVICE_CONTENT_BYTES) {
        throw MatrixError.tooLarge(`The message for ${userId} ${deviceId.slice(0, 255)} exceeds ${MAX_TO_DEVICE_CONTENT_BYTES} bytes`);
      }
      out.push({
        sender: requester.userId,
        recipientUserId: userId,
        recipientDeviceId: deviceId,
        eventType,
        content: content as JsonObject,
        messageId: toDeviceMessageId([requester.userId, requester.deviceId ?? '', eventType, txnId, userId, deviceId]),
      });
    }
  }
  return out;
}

/** The route. */
export function sendToDeviceRoutes(deps: ClientRouteDeps): AnyRoute[] {
  // The transactions accepted (or being published): a concurrent retry waits for the first.
  const accepted = boundedCache<string, Promise<void>>(REMEMBERED_TRANSACTIONS);
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/sendToDevice/:eventType/:txnId',
      auth: 'user-or-guest',
      rateLimit: 'message',
      bodyLimit: MAX_SEND_TO_DEVICE_BODY_BYTES,
      schema: { params: Params, body: Body },
      handler: async ({ params, body, requester }) => {
        const r = requester!;
        const key = [r.userId, r.deviceId ?? '', params.eventType, params.txnId].join('\u0000');
        const earlier = accepted.get(key);
        if (earlier) {
          await earlier;
          return {};
        }
        const messages = toDeviceMessages(r, params.eventType, params.txnId, body.messages);
        const publishing = publishSendToDevice(deps.bus, messages);
        accepted.set(key, publishing);
        try {
          await publishing;
        } catch (e) {
          // Not accepted: the client's retry must publish.
          if (accepted.get(key) === publishing) accepted.delete(key);
          throw e;
        }
        return {};
      },
    }),
  ];
}
