/**
 * The received-transactions part of the federationapi's storage: what `PUT /send/{txnId}`
 * needs to answer a retried transaction without processing it again.
 */
import type { Kysely } from 'kysely';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { FederationapiTables } from './federationapi-tables.js';
import * as table from './received-transactions-table.js';

/** Answers to transactions already processed. */
export interface ReceivedTransactionsStorage {
  /** The answer given to `(origin, txnId)`, if it was processed (and not yet pruned). */
  getReceivedTransaction(origin: string, txnId: string): Promise<JsonObject | undefined>;
  /** Records the answer to a processed transaction; an answer already stored is kept. */
  storeReceivedTransaction(origin: string, txnId: string, response: JsonObject, receivedAt: number): Promise<void>;
  /** Forgets the transactions received before `before` (ms); how many were forgotten. */
  pruneReceivedTransactions(before: number): Promise<number>;
}

/** The operations over `db` (already migrated). */
export function createReceivedTransactionsStorage(db: Kysely<FederationapiTables>): ReceivedTransactionsStorage {
  return {
    async getReceivedTransaction(origin, txnId) {
      const text = await table.selectReceivedTransaction(db, origin, txnId);
      if (text === undefined) return undefined;
      const json: unknown = JSON.parse(text);
      return isJsonObject(json) ? json : undefined;
    },
    async storeReceivedTransaction(origin, txnId, response, receivedAt) {
      await table.insertReceivedTransaction(db, { origin, txn_id: txnId, response_json: JSON.stringify(response), received_at: receivedAt });
    },
    pruneReceivedTransactions: (before) => table.deleteReceivedTransactionsBefore(db, before),
  };
}
