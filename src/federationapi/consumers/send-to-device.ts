/**
 * The federation sender's consumer of the clientapi's `OutputSendToDeviceEvent`: a local user's
 * message for another server's user becomes an `m.direct_to_device` EDU to that server (spec
 * "Send-to-device messaging"), through the persisted per-destination queues. Messages for our
 * own users (the syncapi's) and messages other servers sent us (their sender is not ours) are
 * skipped.
 *
 * One EDU per topic message, that is per recipient device (or `*`, which the recipient's server
 * expands): each carries the message's own stable `message_id`, by which the receiver drops a
 * repeat (a bus redelivery here queues the EDU again).
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OutputSendToDeviceEvent, type OutputSendToDeviceMessage } from '../../clientapi/producers/output-send-to-device.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { SenderDeps } from './sender-deps.js';

/** The durable consumer name (a sharded instance appends its shard). */
export const SENDER_SEND_TO_DEVICE_CONSUMER = 'federationapi-sender-sendtodevice';

/** The EDU type of send-to-device messages. */
export const DIRECT_TO_DEVICE_EDU = 'm.direct_to_device';

/** Handles one message; throws (to be redelivered) when the queue's storage fails. */
export async function handleSendToDeviceOutput(deps: Pick<SenderDeps, 'queues' | 'serverName'>, msg: OutputSendToDeviceMessage): Promise<void> {
  switch (msg.type) {
    case 'send_to_device': {
      const destination = domainOf(msg.recipientUserId);
      if (destination === undefined || destination === deps.serverName || domainOf(msg.sender) !== deps.serverName) return;
      await deps.queues.sendEdus([destination], [
        {
          edu_type: DIRECT_TO_DEVICE_EDU,
          content: {
            sender: msg.sender,
            type: msg.eventType,
            message_id: msg.messageId,
            messages: { [msg.recipientUserId]: { [msg.recipientDeviceId]: msg.content } },
          },
        },
      ]);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`federationapi: unknown OutputSendToDeviceEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startSendToDeviceConsumer(bus: Bus, deps: SenderDeps, consumerSuffix = ''): Promise<Subscription> {
  return bus.subscribe<OutputSendToDeviceMessage>({
    topic: OutputSendToDeviceEvent,
    consumer: `${SENDER_SEND_TO_DEVICE_CONSUMER}${consumerSuffix}`,
    // Keyed by recipient: one user's messages stay in order, different users' go in parallel.
    concurrency: 8,
    handler: (m) => handleSendToDeviceOutput(deps, m.payload),
  });
}
