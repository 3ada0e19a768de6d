/**
 * The syncapi's consumer of the userapi's `OutputPresenceEvent`: stores each user's latest
 * presence in `syncapi_presence` (the `presence` stream) and wakes the user and everyone who
 * shares a room with them. One consumer per deployment writes (`syncapi-userapi-presence`), one
 * message at a time, so positions commit in order. Idempotent: a change at or below the stored
 * userapi position changes nothing and wakes nobody.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OutputPresenceEvent, type OutputPresenceMessage } from '../../userapi/producers/output-presence.js';
import type { Notifier } from '../notifier.js';
import type { SyncStorage } from '../storage/index.js';

/** The durable consumer name of the presence writer. */
export const SYNCAPI_PRESENCE_CONSUMER = 'syncapi-userapi-presence';

/** What the consumer changes. */
export interface PresenceConsumerDeps {
  readonly storage: Pick<SyncStorage, 'writePresence'>;
  readonly notifier: Pick<Notifier, 'wakeRoomMates'>;
}

/** Handles one message; throws (to be redelivered) when storage fails. */
export async function handlePresence(deps: PresenceConsumerDeps, msg: OutputPresenceMessage): Promise<void> {
  switch (msg.type) {
    case 'presence': {
      const position = await deps.storage.writePresence({
        userId: msg.userId,
        presence: msg.presence,
        statusMsg: msg.statusMsg,
        lastActiveTs: msg.lastActiveTs,
        currentlyActive: msg.currentlyActive,
        sourcePosition: msg.streamPosition,
      });
      if (position !== undefined) deps.notifier.wakeRoomMates(msg.userId);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`syncapi: unknown OutputPresenceEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the presence writer; stop the returned subscription on shutdown. */
export function startPresenceConsumer(bus: Bus, deps: PresenceConsumerDeps): Promise<Subscription> {
  return bus.subscribe<OutputPresenceMessage>({
    topic: OutputPresenceEvent,
    consumer: SYNCAPI_PRESENCE_CONSUMER,
    handler: (m) => handlePresence(deps, m.payload),
  });
}
