/**
 * Queries on `syncapi_receipts`: the latest receipt of each (room, receipt type, user, thread),
 * positioned in the `receipt` stream. A receipt that moves is deleted and inserted again, so its
 * new position comes after every receipt committed before it, and "the receipts after P" is one
 * range read. Reading the receipts of many rooms is one statement per chunk of rooms.
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import { chunkSize, inChunks, type SyncDb } from './sync-db.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** The stored form of an unthreaded receipt's thread (the unique key cannot hold NULLs). */
const UNTHREADED = '';

/** A receipt to store. */
export interface ReceiptWrite {
  readonly roomId: string;
  /** `m.read` or `m.read.private`. */
  readonly receiptType: string;
  readonly userId: string;
  /** A thread root's event ID, `main`, or null for an unthreaded receipt. */
  readonly threadId: string | null;
  readonly eventId: string;
  /** When the server received it (ms since the epoch). */
  readonly ts: number;
}

/** A stored receipt with its `receipt` stream position. */
export interface SyncReceipt extends ReceiptWrite {
  readonly position: number;
}

type KeyParams = { roomId: string; receiptType: string; userId: string; threadId: string };

const currentQuery = preparedQuery((db: Kysely<SyncapiTables>, p: KeyParams) =>
  db
    .selectFrom('syncapi_receipts')
    .select(['id', 'event_id', 'ts'])
    .where('room_id', '=', p.roomId)
    .where('receipt_type', '=', p.receiptType)
    .where('user_id', '=', p.userId)
    .where('thread_id', '=', p.threadId),
);
const deleteQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { id: number }) => db.deleteFrom('syncapi_receipts').where('id', '=', p.id));
const insertQuery = preparedQuery((db: Kysely<SyncapiTables>, p: KeyParams & { eventId: string; ts: number }) =>
  db
    .insertInto('syncapi_receipts')
    .values({ room_id: p.roomId, receipt_type: p.receiptType, user_id: p.userId, thread_id: p.threadId, event_id: p.eventId, ts: p.ts })
    .returning('id'),
);

/**
 * Replaces the user's receipt of this type and thread (run inside a transaction). Its new
 * position, or undefined when nothing changed: the same event again (a redelivery, or a client
 * repeating itself) or a receipt older than the stored one (a late redelivery).
 */
export async function upsertReceipt(t: SyncDb, r: ReceiptWrite): Promise<number | undefined> {
  const key: KeyParams = { roomId: r.roomId, receiptType: r.receiptType, userId: r.userId, threadId: r.threadId ?? UNTHREADED };
  const current = await currentQuery.first(t, key);
  if (current && (current.event_id === r.eventId || Number(current.ts) > r.ts)) return undefined;
  if (current) await deleteQuery.run(t, { id: Number(current.id) });
  const row = await insertQuery.first(t, { ...key, eventId: r.eventId, ts: r.ts });
  return Number(row!.id);
}

// Run by every sync to fix the end of its range.
const latestQuery = preparedQuery((db: Kysely<SyncapiTables>, _p: Record<string, never>) =>
  db.selectFrom('syncapi_receipts').select((eb) => eb.fn.max('id').as('max')),
);

/** The latest `receipt` stream position (0 when there is no receipt). */
export async function selectLatestReceiptPosition(t: SyncDb): Promise<number> {
  const r = await latestQuery.first(t, {});
  return r?.max === null || r?.max === undefined ? 0 : Number(r.max);
}

/**
 * The receipts of `roomIds` positioned in `(after, upTo]`, in position order. With `after` 0 that
 * is each room's latest receipts, since a (room, type, user, thread) has only its latest row.
 */
export async function selectReceipts(t: SyncDb, roomIds: readonly string[], after: number, upTo: number): Promise<SyncReceipt[]> {
  const out: SyncReceipt[] = [];
  for (const chunk of inChunks([...new Set(roomIds)], chunkSize(t.caps))) {
    const rows = await t.db
      .selectFrom('syncapi_receipts')
      .select(['id', 'room_id', 'receipt_type', 'user_id', 'thread_id', 'event_id', 'ts'])
      .where('room_id', 'in', chunk)
      .where('id', '>', after)
      .where('id', '<=', upTo)
      .orderBy('id')
      .execute();
    for (const r of rows) {
      out.push({
        position: Number(r.id),
        roomId: r.room_id,
        receiptType: r.receipt_type,
        userId: r.user_id,
        threadId: r.thread_id === UNTHREADED ? null : r.thread_id,
        eventId: r.event_id,
        ts: Number(r.ts),
      });
    }
  }
  // Chunks are each in order; several chunks need one sort.
  return out.sort((a, b) => a.position - b.position);
}
