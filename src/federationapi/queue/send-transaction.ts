/**
 * One `PUT /_matrix/federation/v1/send/{txnId}` (spec "Transactions"). A 200 means the
 * destination took the transaction: a PDU it rejected (its `pdus[id].error`) is its verdict on
 * that event, logged and never retried, since sending it again would get the same answer.
 * Anything else throws, and the caller backs off and sends the same content again.
 */
import type { Logger } from 'pino';
import type { FederationClient } from '../client/federation-client.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { PendingTransaction } from '../storage/queue-storage.js';

/** What sending needs. */
export interface SendTransactionDeps {
  readonly client: Pick<FederationClient, 'request'>;
  /** Our server name: the transaction's `origin`. */
  readonly serverName: string;
  readonly logger: Logger;
}

/** Sends one transaction; resolves when the destination answered 200, throws otherwise. */
export async function sendTransaction(
  deps: SendTransactionDeps,
  destination: string,
  txnId: string,
  txn: Pick<PendingTransaction, 'pdus' | 'edus'>,
  originServerTs: number,
): Promise<void> {
  const res = await deps.client.request<JsonObject>({
    method: 'PUT',
    destination,
    path: `/_matrix/federation/v1/send/${encodeURIComponent(txnId)}`,
    body: { origin: deps.serverName, origin_server_ts: originServerTs, pdus: [...txn.pdus], edus: txn.edus.map((e) => ({ ...e })) },
  });
  const results = isJsonObject(res) && isJsonObject(res.pdus) ? res.pdus : {};
  for (const [eventId, result] of Object.entries(results)) {
    if (isJsonObject(result) && result.error !== undefined) {
      // Remote text: logged as data, truncated, never shown as ours.
      deps.logger.info({ destination, txnId, eventId, error: String(result.error).slice(0, 200) }, 'federation: destination rejected a PDU');
    }
  }
}
