/**
 * The stream providers of `/sync`, one per name of `STREAM_NAMES`. Streams not implemented yet
 * have an empty provider (position 0, nothing added); replacing one is a one-line change here.
 * The compiler checks that every stream has exactly one provider.
 */
import type { SyncUserAPI } from '../../userapi/api.js';
import { accountDataStreamProvider } from './account-data-stream-provider.js';
import { pduStreamProvider } from './pdu-stream-provider.js';
import { emptyStreamProvider, type StreamProvider } from './stream-provider.js';
import { STREAM_NAMES, type StreamName } from './stream-token.js';
import type { WriteRoomsDeps } from './write-rooms.js';

/** What the providers read. */
export interface SyncStreamsDeps extends WriteRoomsDeps {
  readonly userapi: Pick<SyncUserAPI, 'queryAccountData'>;
}

/** Every stream's provider, in {@link STREAM_NAMES} order (`pdu` first: others add to its rooms). */
export function syncStreams(deps: SyncStreamsDeps): readonly StreamProvider[] {
  const byName: Record<StreamName, StreamProvider> = {
    pdu: pduStreamProvider(deps),
    typing: emptyStreamProvider('typing'),
    receipt: emptyStreamProvider('receipt'),
    invite: emptyStreamProvider('invite'),
    to_device: emptyStreamProvider('to_device'),
    account_data: accountDataStreamProvider(deps.userapi),
    device_list: emptyStreamProvider('device_list'),
    notification_data: emptyStreamProvider('notification_data'),
    presence: emptyStreamProvider('presence'),
  };
  return STREAM_NAMES.map((n) => byName[n]);
}
