/**
 * The federationapi's storage: pragmatic operations over its tables, the same code on SQLite
 * and PostgreSQL. No SQL, transactions or row IDs cross this interface.
 */
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import { runMigrations } from '../../internal/sqlutil/run-migrations.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { ServerKeys } from '../../matrix/server-keys.js';
import { FEDERATIONAPI_MIGRATIONS } from './federationapi-migrations.js';
import type { FederationapiTables, ServerKeysTable } from './federationapi-tables.js';
import * as serverKeys from './server-keys-table.js';
import { createReceivedTransactionsStorage, type ReceivedTransactionsStorage } from './received-transactions-storage.js';
import { createQueueStorage, type QueueStorage } from './queue-storage.js';

/** One stored key of a remote server. */
export interface StoredServerKey {
  readonly serverName: string;
  readonly keyId: string;
  /** Unpadded base64 public key. */
  readonly publicKey: string;
  /** `valid_until_ts` of the response it came in (raw; the 7-day cap is applied by readers). */
  readonly validUntilTs: number;
  /** Set for a key listed in `old_verify_keys`: when the server stopped using it. */
  readonly expiredTs: number | undefined;
  /** When that response was fetched. */
  readonly fetchedAt: number;
}

/** A stored server keys response, as the origin signed it. */
export interface StoredKeysResponse {
  readonly json: JsonObject;
  readonly validUntilTs: number;
  readonly fetchedAt: number;
}

/** The federationapi's storage. */
export interface FederationStorage {
  /**
   * Stores every key (current and old) of a checked response. A key already stored from a
   * response valid longer is kept.
   */
  storeServerKeys(keys: ServerKeys, fetchedAt: number): Promise<void>;
  /** One stored key, current or old. */
  getServerKey(serverName: string, keyId: string): Promise<StoredServerKey | undefined>;
  /** The distinct stored responses of a server (for notary answers), the one valid longest first. */
  getServerKeysResponses(serverName: string): Promise<StoredKeysResponse[]>;
  /** Answered `/send` transactions (`received-transactions-storage.ts`). */
  getReceivedTransaction: ReceivedTransactionsStorage['getReceivedTransaction'];
  storeReceivedTransaction: ReceivedTransactionsStorage['storeReceivedTransaction'];
  pruneReceivedTransactions: ReceivedTransactionsStorage['pruneReceivedTransactions'];
  /** The outbound sender's queues and destination health (`queue-storage.ts`). */
  queuePdus: QueueStorage['queuePdus'];
  queueEdus: QueueStorage['queueEdus'];
  pendingTransaction: QueueStorage['pendingTransaction'];
  deleteDelivered: QueueStorage['deleteDelivered'];
  destinationsWithPending: QueueStorage['destinationsWithPending'];
  destinationHealth: QueueStorage['destinationHealth'];
  setDestinationHealth: QueueStorage['setDestinationHealth'];
  clearDestinationHealth: QueueStorage['clearDestinationHealth'];
  blacklistedDestinations: QueueStorage['blacklistedDestinations'];
}

/** Migrates the database and returns the storage over it. */
export async function openFederationStorage(database: Database): Promise<FederationStorage> {
  await runMigrations(database, 'federationapi', FEDERATIONAPI_MIGRATIONS);
  return createFederationStorage(database);
}

/** The storage over an already-migrated database. */
export function createFederationStorage(database: Database): FederationStorage {
  const db = typedDb<FederationapiTables>(database);
  return {
    ...createReceivedTransactionsStorage(db),
    ...createQueueStorage(database),
    async storeServerKeys(keys, fetchedAt) {
      const keyJson = JSON.stringify(keys.json);
      const base = { server_name: keys.serverName, valid_until_ts: keys.validUntilTs, key_json: keyJson, fetched_at: fetchedAt };
      const rows: ServerKeysTable[] = [];
      for (const [keyId, key] of keys.verifyKeys) rows.push({ ...base, key_id: keyId, public_key: key, expired_ts: null });
      // A key listed as both current and old is current: the server still signs with it.
      for (const [keyId, key] of keys.oldVerifyKeys) {
        if (!keys.verifyKeys.has(keyId)) rows.push({ ...base, key_id: keyId, public_key: key.key, expired_ts: key.expiredTs });
      }
      await serverKeys.upsertServerKeys(db, rows);
    },
    async getServerKey(serverName, keyId) {
      const row = await serverKeys.selectServerKey(db, serverName, keyId);
      if (!row) return undefined;
      return {
        serverName: row.server_name,
        keyId: row.key_id,
        publicKey: row.public_key,
        validUntilTs: row.valid_until_ts,
        expiredTs: row.expired_ts ?? undefined,
        fetchedAt: row.fetched_at,
      };
    },
    async getServerKeysResponses(serverName) {
      const rows = await serverKeys.selectServerKeysResponses(db, serverName);
      return rows.flatMap((r) => {
        const json: unknown = JSON.parse(r.key_json);
        return isJsonObject(json) ? [{ json, validUntilTs: r.valid_until_ts, fetchedAt: r.fetched_at }] : [];
      });
    },
  };
}
