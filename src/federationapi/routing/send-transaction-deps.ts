/**
 * What `PUT /_matrix/federation/v1/send/{txnId}` needs: the roomserver (room versions, ACLs,
 * memberships, event input), the outbound client (to fetch what a PDU's sender left out), the
 * bus (typing and receipt EDUs), and the stored answers of transactions already processed.
 */
import type { Logger } from 'pino';
import type { Bus } from '../../internal/bus/bus.js';
import type { RoomserverAPI } from '../../roomserver/api.js';
import type { UserAPI } from '../../userapi/api.js';
import type { FederationClient } from '../client/federation-client.js';
import type { ReceivedTransactionsStorage } from '../storage/received-transactions-storage.js';
import type { RemoteDeviceLists } from '../internal/remote-device-lists.js';

/** The roomserver calls inbound transactions make. */
export type SendRoomserverAPI = Pick<RoomserverAPI, 'queryRoomInfo' | 'queryState' | 'queryEvents' | 'queryMembership' | 'inputRoomEvents'>;

export interface SendTransactionDeps {
  /** Our server name. */
  readonly serverName: string;
  readonly sendRoomserverApi: SendRoomserverAPI;
  /** For `/get_missing_events`, `/state_ids`, `/event`, `/event_auth` to the transaction's origin. */
  readonly federationClient: Pick<FederationClient, 'request'>;
  /** Where typing and receipt EDUs are published. */
  readonly bus: Bus;
  /** The answers of transactions already processed (the federationapi's storage). */
  readonly receivedTransactions: ReceivedTransactionsStorage;
  /** The clock. */
  readonly now: () => number;
  readonly logger?: Logger;
  /** Records remote users' presence (`m.presence` EDUs); without it they are dropped. */
  readonly presenceUserApi?: Pick<UserAPI, 'performRemotePresenceUpdate'>;
  /** Applies `m.device_list_update` / `m.signing_key_update` EDUs; without it they are dropped. */
  readonly deviceLists?: Pick<RemoteDeviceLists, 'applyDeviceListUpdate' | 'applySigningKeyUpdate'>;
  /** Called with the origin of every authenticated transaction (e.g. to reset its backoff). */
  readonly heardFrom?: (origin: string) => void;
  /** Most events fetched from the origin while processing one transaction; 500. */
  readonly maxFetchedEventsPerTransaction?: number;
}
