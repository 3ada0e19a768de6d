/**
 * The syncapi's consumer of the clientapi's `OutputSendToDeviceEvent`: stores each message for
 * a local user's device in `syncapi_send_to_device` (the `to_device` stream) and wakes that
 * user's syncs. Messages for other servers' users are the federationapi's.
 *
 * `*` is expanded here, to the devices the userapi lists at this moment; a named device is
 * checked the same way, so messages for unknown users or devices are dropped rather than kept
 * for a device that may never sync (Synapse does likewise). One consumer per deployment writes
 * (`syncapi-clientapi-sendtodevice`), one message at a time, so positions commit in order and a
 * sync that read position P never misses a message below P (which its next sync would delete
 * unseen). Idempotent: a message the device already holds under the same ID changes nothing.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { ALL_DEVICES, OutputSendToDeviceEvent, type OutputSendToDeviceMessage } from '../../clientapi/producers/output-send-to-device.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { SyncUserAPI } from '../../userapi/api.js';
import type { Notifier } from '../notifier.js';
import type { SyncStorage } from '../storage/index.js';
import type { ToDevicePosition } from '../sync/to-device-stream-provider.js';

/** The durable consumer name of the to-device writer. */
export const SYNCAPI_SEND_TO_DEVICE_CONSUMER = 'syncapi-clientapi-sendtodevice';

/** What the consumer reads and changes. */
export interface SendToDeviceConsumerDeps {
  readonly storage: Pick<SyncStorage, 'writeToDeviceMessages'>;
  readonly userapi: Pick<SyncUserAPI, 'queryDevices'>;
  readonly notifier: Pick<Notifier, 'wakeUsers'>;
  /** Moved to each new position before the wake, so the woken sync reads the message. */
  readonly position: ToDevicePosition;
  /** Our server name: only our users' messages are stored here. */
  readonly serverName: string;
}

/** Handles one message; throws (to be redelivered) when the userapi or storage fails. */
export async function handleSendToDevice(deps: SendToDeviceConsumerDeps, msg: OutputSendToDeviceMessage): Promise<void> {
  switch (msg.type) {
    case 'send_to_device': {
      const userId = msg.recipientUserId;
      if (domainOf(userId) !== deps.serverName) return;
      const all = msg.recipientDeviceId === ALL_DEVICES;
      const { devices } = await deps.userapi.queryDevices(all ? { userId } : { userId, deviceIds: [msg.recipientDeviceId] });
      if (devices.length === 0) return;
      const json = JSON.stringify({ sender: msg.sender, type: msg.eventType, content: msg.content });
      const position = await deps.storage.writeToDeviceMessages(devices.map((d) => ({ userId, deviceId: d.deviceId, messageId: msg.messageId, json })));
      if (position === undefined) return;
      deps.position.advance(position);
      deps.notifier.wakeUsers([userId]);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`syncapi: unknown OutputSendToDeviceEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the to-device writer; stop the returned subscription on shutdown. */
export function startSendToDeviceConsumer(bus: Bus, deps: SendToDeviceConsumerDeps): Promise<Subscription> {
  return bus.subscribe<OutputSendToDeviceMessage>({
    topic: OutputSendToDeviceEvent,
    consumer: SYNCAPI_SEND_TO_DEVICE_CONSUMER,
    handler: (m) => handleSendToDevice(deps, m.payload),
  });
}
