/**
 * The syncapi's consumer of the userapi's `OutputAccountData`: it only wakes the user's syncs.
 * Account data stays in the userapi; a sync reads it back with `queryAccountData({userId, since})`
 * and the userapi's per-user positions are the token's `account_data` stream (the latest of each
 * syncing user cached in `sync/account-data-positions.ts`, moved here).
 *
 * Waking must reach every syncapi process, so each process consumes under its own name
 * (`syncapi-userapi-accountdata`, plus `-<instance>` when the component is given an instance
 * name); a redelivered message is a spurious wake, which costs one empty sync attempt.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OutputAccountData, type OutputAccountDataMessage } from '../../userapi/producers/output-account-data.js';
import type { Notifier } from '../notifier.js';
import type { AccountDataPositions } from '../sync/account-data-positions.js';

/** The durable consumer name (suffixed per instance when there are several). */
export const SYNCAPI_ACCOUNT_DATA_CONSUMER = 'syncapi-userapi-accountdata';

/** Handles one message: the user's cached position moves first, so the woken sync reads the change. */
export function handleAccountData(notifier: Notifier, positions: AccountDataPositions, msg: OutputAccountDataMessage): void {
  switch (msg.type) {
    case 'account_data':
      positions.advance(msg.userId, msg.streamPosition);
      notifier.wakeUsers([msg.userId]);
      return;
    default: {
      const never: never = msg.type;
      throw new Error(`syncapi: unknown OutputAccountData message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes; `instance` suffixes the consumer name when several syncapi processes run. */
export function startAccountDataConsumer(bus: Bus, notifier: Notifier, positions: AccountDataPositions, instance?: string): Promise<Subscription> {
  return bus.subscribe<OutputAccountDataMessage>({
    topic: OutputAccountData,
    consumer: instance === undefined ? SYNCAPI_ACCOUNT_DATA_CONSUMER : `${SYNCAPI_ACCOUNT_DATA_CONSUMER}-${instance}`,
    handler: async (m) => handleAccountData(notifier, positions, m.payload),
  });
}
