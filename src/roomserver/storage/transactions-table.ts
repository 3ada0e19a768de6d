/**
 * Transaction IDs of local sends: the same (room, user, device, transaction ID) always maps to
 * the event it first produced, so a client retrying a send never creates a second event. The
 * room is part of the key because the client-server API scopes a transaction ID to the request
 * path, which names the room.
 */
import type { StorageContext } from './storage-context.js';

/** Who sent an event, with which transaction ID. */
export interface SendTransaction {
  readonly roomId: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly transactionId: string;
}

/** Records the event a transaction produced (written in the event's own transaction). */
export async function insertTransaction(ctx: StorageContext, t: SendTransaction, eventId: string): Promise<void> {
  await ctx.db
    .insertInto('roomserver_transactions')
    .values({ room_id: t.roomId, user_id: t.userId, device_id: t.deviceId, transaction_id: t.transactionId, event_id: eventId })
    .onConflict((oc) => oc.columns(['room_id', 'user_id', 'device_id', 'transaction_id']).doNothing())
    .execute();
}

/** The event a transaction produced, if any. */
export async function selectTransactionEventId(ctx: StorageContext, t: SendTransaction): Promise<string | undefined> {
  const row = await ctx.db
    .selectFrom('roomserver_transactions')
    .select('event_id')
    .where('room_id', '=', t.roomId)
    .where('user_id', '=', t.userId)
    .where('device_id', '=', t.deviceId)
    .where('transaction_id', '=', t.transactionId)
    .executeTakeFirst();
  return row?.event_id;
}
