/** What the federationapi's internal operations share. */
import type { Logger } from 'pino';
import type { SigningKey } from '../../matrix/signing-key.js';
import type { FederationRoomserverAPI } from '../../roomserver/api.js';
import type { FederationClient } from '../client/federation-client.js';
import type { KeyRing } from '../keyring/key-ring.js';
import type { RemoteDeviceLists } from './remote-device-lists.js';

export interface FederationInternalContext {
  readonly serverName: string;
  readonly signingKey: SigningKey;
  readonly keyRing: KeyRing;
  /** The outbound client; undefined when federation is off (every perform… then fails). */
  readonly client: Pick<FederationClient, 'request'> | undefined;
  readonly roomserver: FederationRoomserverAPI;
  readonly now: () => number;
  readonly logger?: Logger;
  /** Remote users' cached device lists (`remote-device-lists.ts`); without it keys are always fetched. */
  readonly deviceLists?: Pick<RemoteDeviceLists, 'usableLists'>;
}
