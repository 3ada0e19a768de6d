/**
 * `federationapi_received_txns` (see `received-transactions-table.ts`): the answers to the
 * transactions other servers sent us, so a retried `PUT /send/{txnId}` gets the same answer
 * without its PDUs and EDUs being processed twice.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates the table; `version` is its place in `FEDERATIONAPI_MIGRATIONS`. */
export function receivedTransactionsMigration(version: number): Migration {
  return {
    version,
    name: 'received transactions',
    async up(db) {
      await sql`CREATE TABLE federationapi_received_txns (
        origin TEXT NOT NULL,
        txn_id TEXT NOT NULL,
        response_json TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (origin, txn_id)
      )`.execute(db);
      // Pruning deletes by age.
      await sql`CREATE INDEX federationapi_received_txns_age ON federationapi_received_txns (received_at)`.execute(db);
    },
  };
}
