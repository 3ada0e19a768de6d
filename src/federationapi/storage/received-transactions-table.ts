/**
 * `federationapi_received_txns`: one row per (origin, transaction ID) we answered, with the
 * answer. The first answer stored wins: two processes finishing the same transaction at once
 * keep one row and both serve it.
 */
import type { Kysely } from 'kysely';
import type { FederationapiTables, ReceivedTransactionsTable } from './federationapi-tables.js';

type Db = Kysely<FederationapiTables>;

/** The stored answer's JSON text, if the transaction was answered. */
export async function selectReceivedTransaction(db: Db, origin: string, txnId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('federationapi_received_txns')
    .select('response_json')
    .where('origin', '=', origin)
    .where('txn_id', '=', txnId)
    .executeTakeFirst();
  return row?.response_json;
}

/** Stores an answer unless one is already stored. */
export async function insertReceivedTransaction(db: Db, row: ReceivedTransactionsTable): Promise<void> {
  await db
    .insertInto('federationapi_received_txns')
    .values(row)
    .onConflict((oc) => oc.columns(['origin', 'txn_id']).doNothing())
    .execute();
}

/** Deletes the answers received before `before`; how many were deleted. */
export async function deleteReceivedTransactionsBefore(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('federationapi_received_txns').where('received_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}
