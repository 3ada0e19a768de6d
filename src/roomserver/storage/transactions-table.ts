/**
 * Transaction IDs of local sends: the same (room, user, device, transaction ID) always maps to
 * the event it first produced, so a client retrying a send never creates a second event. The
 * room is part of the key because the client-server API scopes a transaction ID to the request
 * path, which names the room.
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import type { RoomserverTables } from './roomserver-tables.js';
import { queryTarget, type StorageContext } from './storage-context.js';

/** Who sent an event, with which transaction ID. */
export interface SendTransaction {
  readonly roomId: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly transactionId: string;
}

/** Records the event a transaction produced (written in the event's own transaction). */
export async function insertTransaction(ctx: StorageContext, t: SendTransaction, eventId: string): Promise<void> {
  await insertQuery.run(queryTarget(ctx), { ...t, eventId });
}

/** The event a transaction produced, if any. */
export async function selectTransactionEventId(ctx: StorageContext, t: SendTransaction): Promise<string | undefined> {
  const row = await selectQuery.first(queryTarget(ctx), { ...t });
  return row?.event_id;
}

// Both run on every local send: prepared once per engine.
const insertQuery = preparedQuery((db: Kysely<RoomserverTables>, p: SendTransaction & { eventId: string }) =>
  db
    .insertInto('roomserver_transactions')
    .values({ room_id: p.roomId, user_id: p.userId, device_id: p.deviceId, transaction_id: p.transactionId, event_id: p.eventId })
    .onConflict((oc) => oc.columns(['room_id', 'user_id', 'device_id', 'transaction_id']).doNothing()),
);

const selectQuery = preparedQuery((db: Kysely<RoomserverTables>, p: SendTransaction) =>
  db
    .selectFrom('roomserver_transactions')
    .select('event_id')
    .where('room_id', '=', p.roomId)
    .where('user_id', '=', p.userId)
    .where('device_id', '=', p.deviceId)
    .where('transaction_id', '=', p.transactionId),
);
