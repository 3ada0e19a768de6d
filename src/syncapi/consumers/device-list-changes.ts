/**
 * The syncapi's consumers of key changes, for the `device_list` stream: the userapi's
 * `OutputKeyChangeEvent` (our users) and the federationapi's `OutputRemoteKeyChangeEvent` (other
 * servers' users). Each change is logged in `syncapi_device_list_changes` and wakes the syncs of
 * the local users sharing a room with the user (and the user's own, for their other devices).
 *
 * A local device's deletion also empties its to-device inbox.
 *
 * Both consumers write through one in-process queue, so positions commit in the order they are
 * handed out and a sync that read position P never misses a change below P. Idempotent: the
 * change's key (`local:<userapi position>`, `remote:<message id>`) is logged once.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OutputRemoteKeyChangeEvent, type OutputRemoteKeyChangeMessage } from '../../federationapi/producers/output-remote-key-change.js';
import { OutputKeyChangeEvent, type OutputKeyChangeMessage } from '../../userapi/producers/output-key-change.js';
import type { Notifier } from '../notifier.js';
import type { SyncStorage } from '../storage/index.js';
import type { DeviceListPosition } from '../sync/device-list-stream-provider.js';

/** The durable consumer names. */
export const SYNCAPI_KEY_CHANGE_CONSUMER = 'syncapi-userapi-keychange';
export const SYNCAPI_REMOTE_KEY_CHANGE_CONSUMER = 'syncapi-federationapi-remotekeychange';

/** What the consumers read and change. */
export interface DeviceListConsumerDeps {
  readonly storage: Pick<SyncStorage, 'writeDeviceListChange' | 'userMemberships' | 'deleteToDeviceMessagesOfDevices'>;
  readonly notifier: Pick<Notifier, 'wakeRoomMates' | 'wakeRoom'>;
  /** Moved to each new position before the wake, so the woken sync reads the change. */
  readonly position: DeviceListPosition;
}

/** Logs one change and wakes who cares. */
export async function recordDeviceListChange(deps: DeviceListConsumerDeps, userId: string, changeKey: string, local: boolean): Promise<void> {
  const position = await deps.storage.writeDeviceListChange(userId, changeKey);
  if (position === undefined) return;
  deps.position.advance(position);
  if (local) {
    deps.notifier.wakeRoomMates(userId);
    return;
  }
  // The notifier indexes local members only: a remote user's rooms come from the room state.
  for (const m of await deps.storage.userMemberships(userId)) if (m.membership === 'join') deps.notifier.wakeRoom(m.roomId);
}

/** Subscribes both consumers; stop the returned subscriptions on shutdown. */
export async function startDeviceListConsumers(bus: Bus, deps: DeviceListConsumerDeps): Promise<Subscription[]> {
  let chain: Promise<unknown> = Promise.resolve();
  const serially = (work: () => Promise<void>): Promise<void> => {
    const run = chain.then(work, work);
    chain = run.catch(() => undefined);
    return run;
  };
  const local = await bus.subscribe<OutputKeyChangeMessage>({
    topic: OutputKeyChangeEvent,
    consumer: SYNCAPI_KEY_CHANGE_CONSUMER,
    handler: async (m) => {
      const p = m.payload;
      // A deleted device never syncs again: what waits in its inbox would stay for ever.
      if (p.type === 'device_keys' && p.deleted) await deps.storage.deleteToDeviceMessagesOfDevices(p.userId, [p.deviceId]);
      await serially(() => recordDeviceListChange(deps, p.userId, `local:${p.streamPosition}`, true));
    },
  });
  try {
    const remote = await bus.subscribe<OutputRemoteKeyChangeMessage>({
      topic: OutputRemoteKeyChangeEvent,
      consumer: SYNCAPI_REMOTE_KEY_CHANGE_CONSUMER,
      handler: (m) => {
        switch (m.payload.type) {
          case 'remote_key_change':
            return serially(() => recordDeviceListChange(deps, m.payload.userId, `remote:${m.id}`, false));
          default: {
            const never: never = m.payload.type;
            throw new Error(`syncapi: unknown OutputRemoteKeyChangeEvent message ${JSON.stringify(never)}`);
          }
        }
      },
    });
    return [local, remote];
  } catch (e) {
    await local.stop();
    throw e;
  }
}
