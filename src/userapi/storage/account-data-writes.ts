/**
 * Writing account data: the entry, its new stream position and the `OutputAccountData` message
 * in one transaction, so a committed change is always announced (the outbox relays it).
 */
import type { Kysely } from 'kysely';
import type { Outbox } from '../../internal/bus/bus.js';
import { accountDataChangedMessage } from '../producers/output-account-data.js';
import { GLOBAL_ROOM, nextStreamPosition, selectEntryPosition, upsertAccountData } from './account-data-table.js';
import type { UserapiTables } from './userapi-tables.js';
import { WriteConflict } from './with-retried-transaction.js';

/** One account-data write. */
export interface AccountDataWrite {
  readonly localpart: string;
  /** The full user ID, for the bus message. */
  readonly userId: string;
  readonly roomId: string | null;
  readonly type: string;
  /** null deletes. */
  readonly content: Record<string, unknown> | null;
  /**
   * Compare-and-set: write only if the entry's current position is this (null: it never
   * existed). Read-modify-write callers (push rules) use it so concurrent edits are not lost.
   */
  readonly expectedPosition?: number | null;
}

/** Writes the entry and queues its message; the new position, or undefined when the compare-and-set failed. */
export async function writeAccountData(db: Kysely<UserapiTables>, outbox: Outbox, w: AccountDataWrite): Promise<number | undefined> {
  try {
    return await db.transaction().execute(async (trx) => {
      // Taking the position first locks the user's counter row (PostgreSQL) before the
      // compare-and-set reads, so no other write of this user can slip in between.
      const position = await nextStreamPosition(trx, w.localpart);
      const room = w.roomId ?? GLOBAL_ROOM;
      if (w.expectedPosition !== undefined && (await selectEntryPosition(trx, w.localpart, room, w.type)) !== w.expectedPosition) {
        throw new WriteConflict();
      }
      await upsertAccountData(trx, w.localpart, room, w.type, w.content, position);
      await outbox.add(trx, [accountDataChangedMessage({ userId: w.userId, roomId: w.roomId, dataType: w.type, streamPosition: position })]);
      return position;
    });
  } catch (e) {
    if (e instanceof WriteConflict) return undefined;
    throw e;
  }
}
