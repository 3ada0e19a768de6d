/**
 * `OutputSendToDeviceEvent`: one send-to-device message for one recipient device, for the
 * syncapi (local recipients: stored until the device acknowledges it by syncing past it) and the
 * federationapi (remote recipients: an `m.direct_to_device` EDU to the recipient's server).
 * Keyed by the recipient user ID, so one user's messages arrive in the order they were sent.
 * Durable: a lost message would break an Olm session or a key share.
 *
 * Published by the clientapi (`PUT /sendToDevice`) and by the federationapi for messages other
 * servers send our users (as it does for typing on the clientapi's `OutputTypingEvent`).
 *
 * `recipientDeviceId` may be `*` ("all the user's devices"): it stays `*` on the topic and is
 * expanded by whoever knows the user's devices — the syncapi for a local user (at the moment it
 * stores the message), the recipient's server for a remote one (`*` travels in the EDU as the
 * spec allows). Expanding at the clientapi would need a device list it does not hold for remote
 * users, and would race with a device logging in meanwhile.
 */
import { createHash } from 'node:crypto';
import type { Bus, BusMessage, TopicSpec } from '../../internal/bus/bus.js';
import type { JsonObject } from '../../matrix/json.js';

/** The topic; owned by the clientapi. */
export const OutputSendToDeviceEvent: TopicSpec = { name: 'OutputSendToDeviceEvent' };

/** The device ID standing for every device of the recipient. */
export const ALL_DEVICES = '*';

/**
 * A message for one device (or `*`). Consumers store or forward it once per `messageId` and
 * recipient device: a message repeated with the same ID (a bus redelivery, a client retrying its
 * transaction, a remote server resending an EDU) must not be delivered twice while pending.
 */
export interface SendToDeviceMessage {
  readonly type: 'send_to_device';
  readonly sender: string;
  readonly recipientUserId: string;
  /** A device ID, or {@link ALL_DEVICES}. */
  readonly recipientDeviceId: string;
  /** The event type of the message (`m.room_key`, `m.room.encrypted` …). */
  readonly eventType: string;
  readonly content: JsonObject;
  /**
   * At most 32 characters (it becomes the EDU's `message_id`), the same whenever the same
   * message is published again: derived from what identifies it ({@link toDeviceMessageId}).
   */
  readonly messageId: string;
}

/** Every message on {@link OutputSendToDeviceEvent}. */
export type OutputSendToDeviceMessage = SendToDeviceMessage;

/**
 * A stable message ID from the parts that identify a message (sender, device, transaction,
 * recipient …): 22 characters of unpadded base64url SHA-256, well within the EDU's 32 and
 * revealing nothing of the parts.
 */
export function toDeviceMessageId(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}

/** The bus message for one send-to-device message. */
export function sendToDeviceMessage(m: Omit<SendToDeviceMessage, 'type'>): BusMessage<OutputSendToDeviceMessage> {
  return { topic: OutputSendToDeviceEvent, key: m.recipientUserId, payload: { type: 'send_to_device', ...m } };
}

/**
 * Publishes messages (no outbox: the clientapi stores nothing; the client retries its
 * transaction when this fails, and the stable IDs make the retry harmless).
 */
export async function publishSendToDevice(bus: Bus, messages: readonly Omit<SendToDeviceMessage, 'type'>[]): Promise<void> {
  if (messages.length === 0) return;
  await bus.publish(messages.map(sendToDeviceMessage));
}
