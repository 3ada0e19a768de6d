/**
 * What the legacy read paths (`/events`, `/initialSync`, `/rooms/{roomId}/initialSync`,
 * `/events/{eventId}`) need: the syncapi's storage and notifier, the sync stream providers (whose
 * typing, receipt, account-data and presence parts they reuse), the userapi's account data, and
 * of the roomserver what sync asks plus the room directory's visibility (`visibility` of
 * `/initialSync`'s rooms).
 */
import type { ClientRoomserverAPI, SyncRoomserverAPI } from '../../roomserver/api.js';
import type { SyncUserAPI } from '../../userapi/api.js';
import type { Notifier } from '../notifier.js';
import type { SyncStorage } from '../storage/index.js';
import type { StreamProvider } from '../sync/stream-provider.js';

/** The roomserver as the legacy paths call it. */
export type LegacyRoomserverAPI = SyncRoomserverAPI & Pick<ClientRoomserverAPI, 'queryRoomVisibility'>;

/** The legacy paths' dependencies. */
export interface LegacyDeps {
  readonly storage: SyncStorage;
  readonly roomserver: LegacyRoomserverAPI;
  readonly notifier: Notifier;
  /** `/sync`'s providers, in token order (`sync-streams.ts`). */
  readonly streams: readonly StreamProvider[];
  readonly userapi: Pick<SyncUserAPI, 'queryAccountData'>;
}
