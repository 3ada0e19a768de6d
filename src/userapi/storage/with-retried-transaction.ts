/**
 * Compare-and-set writes without row locks: a step that finds its expectation broken throws
 * {@link WriteConflict}, the transaction rolls back, and the whole read-decide-write runs again
 * on fresh data. SQLite serialises transactions anyway; on PostgreSQL this is what keeps two
 * racing requests from both acting on the same old value.
 */
import type { Kysely, Transaction } from 'kysely';

/** Thrown inside a transaction when a compare-and-set found the row changed. */
export class WriteConflict extends Error {
  override readonly name = 'WriteConflict';
  constructor() {
    super('concurrent update; retrying');
  }
}

const ATTEMPTS = 5;

/** Runs `body` in a transaction, again (up to 5 times) when it throws {@link WriteConflict}. */
export async function withRetriedTransaction<DB, T>(db: Kysely<DB>, body: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(body);
    } catch (e) {
      if (!(e instanceof WriteConflict) || attempt >= ATTEMPTS) throw e;
    }
  }
}
