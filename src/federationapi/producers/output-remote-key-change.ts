/**
 * `OutputRemoteKeyChangeEvent`: another server's user changed their end-to-end encryption
 * identity — an `m.device_list_update` or `m.signing_key_update` arrived from their server (or a
 * resync of their device list found it changed). Keyed by user ID.
 *
 * Who consumes it and what they do: the syncapi puts `userId` into `device_lists.changed` of
 * every local user sharing a room with them (and `/keys/changes`), waking their syncs, just as
 * it does for the userapi's `OutputKeyChangeEvent` about local users. Clients then ask
 * `/keys/query`, which the federationapi answers from its remote device-list cache while it
 * tracks the user.
 *
 * Durable: queued in the federationapi's outbox in the transaction that updates the cache, so
 * a change we stored is always announced. Consumers may see a message twice (at-least-once); a
 * repeated announcement only lists the user as changed once more.
 */
import type { BusMessage, TopicSpec } from '../../internal/bus/bus.js';

/** The topic; owned by the federationapi. */
export const OutputRemoteKeyChangeEvent: TopicSpec = { name: 'OutputRemoteKeyChangeEvent' };

/** A remote user's device list or cross-signing keys changed. */
export interface RemoteKeyChanged {
  readonly type: 'remote_key_change';
  /** The remote user. */
  readonly userId: string;
  /** What told us: an update EDU, a signing-key EDU, or a resync after a gap. */
  readonly cause: 'device_list_update' | 'signing_key_update' | 'resync';
}

/** Every message on {@link OutputRemoteKeyChangeEvent}. */
export type OutputRemoteKeyChangeMessage = RemoteKeyChanged;

/** The bus message for one change. */
export function remoteKeyChangeMessage(change: OutputRemoteKeyChangeMessage): BusMessage<OutputRemoteKeyChangeMessage> {
  return { topic: OutputRemoteKeyChangeEvent, key: change.userId, payload: change };
}
