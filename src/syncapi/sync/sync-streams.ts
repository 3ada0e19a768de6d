/**
 * The stream providers of `/sync`, one per name of `STREAM_NAMES`; the compiler checks that every
 * stream has exactly one. An empty provider (position 0, nothing added) stands where a stream has
 * no data of its own: `invite` (invites travel as member events in the pdu stream), and `presence`
 * when `presence.enabled` is false.
 */
import type { SyncUserAPI } from '../../userapi/api.js';
import type { AccountDataPositions } from './account-data-positions.js';
import { accountDataStreamProvider } from './account-data-stream-provider.js';
import { pduStreamProvider } from './pdu-stream-provider.js';
import { presenceStreamProvider } from './presence-stream-provider.js';
import { receiptStreamProvider } from './receipt-stream-provider.js';
import { typingStreamProvider } from './typing-stream-provider.js';
import { toDeviceStreamProvider, type ToDevicePosition } from './to-device-stream-provider.js';
import { deviceListStreamProvider, type DeviceListPosition } from './device-list-stream-provider.js';
import { notificationDataStreamProvider, type NotificationDataPosition } from './notification-data-stream-provider.js';
import type { TypingCache } from '../typing-cache.js';
import { emptyStreamProvider, type StreamProvider } from './stream-provider.js';
import { STREAM_NAMES, type StreamName } from './stream-token.js';
import type { WriteRoomsDeps } from './write-rooms.js';

/** What the providers read. */
export interface SyncStreamsDeps extends WriteRoomsDeps {
  readonly userapi: Pick<SyncUserAPI, 'queryAccountData'>;
  /** Who is typing where (kept by the typing consumer). */
  readonly typing: TypingCache;
  /** `presence.enabled` of the config: when false the presence stream stays empty. */
  readonly presenceEnabled: boolean;
  /** Each user's latest account-data position (moved by the account-data consumer). */
  readonly accountDataPositions: AccountDataPositions;
  /** The latest `to_device` position (moved by the send-to-device consumer). */
  readonly toDevicePosition: ToDevicePosition;
  /** The latest `device_list` position (moved by the key change consumers); absent: the stream stays empty. */
  readonly deviceListPosition?: DeviceListPosition;
  /** The latest `notification_data` position (moved by the notification counts consumer); absent: the stream stays empty. */
  readonly notificationDataPosition?: NotificationDataPosition;
}

/** Every stream's provider, in {@link STREAM_NAMES} order (`pdu` first: others add to its rooms). */
export function syncStreams(deps: SyncStreamsDeps): readonly StreamProvider[] {
  const byName: Record<StreamName, StreamProvider> = {
    pdu: pduStreamProvider(deps),
    typing: typingStreamProvider(deps.typing),
    receipt: receiptStreamProvider(deps.storage),
    invite: emptyStreamProvider('invite'),
    to_device: toDeviceStreamProvider(deps.storage, deps.toDevicePosition),
    account_data: accountDataStreamProvider(deps.userapi, deps.accountDataPositions),
    device_list: deps.deviceListPosition ? deviceListStreamProvider(deps.storage, deps.deviceListPosition) : emptyStreamProvider('device_list'),
    notification_data: deps.notificationDataPosition
      ? notificationDataStreamProvider(deps.storage, deps.notificationDataPosition)
      : emptyStreamProvider('notification_data'),
    presence: deps.presenceEnabled ? presenceStreamProvider(deps.storage) : emptyStreamProvider('presence'),
  };
  return STREAM_NAMES.map((n) => byName[n]);
}
