/**
 * Storing old events (backfill) in `syncapi_output_room_events` without making them news.
 *
 * Every sync stream read takes positions above a token (`(since, upTo]`, with `since` ≥ 0), so
 * an event stored with a new, higher position would show up in the next incremental sync as if
 * it had just happened. Old events are instead given positions **below zero**, counting down
 * (the lowest stored position minus one): no sync range ever reaches them, while `/messages`
 * and `/context`, which order by (depth, position), find them in their topological place, the
 * position only breaking ties between events of equal depth. The syncapi has one writer (its
 * roomserver consumer, one message at a time), so reading the lowest position and inserting
 * below it cannot race another insert.
 */
import { sql } from 'kysely';
import type { SyncDb } from './sync-db.js';
import type { NewEventRow } from './output-room-events-table.js';

/** The position the next old event gets: below every stored one, and below zero. */
async function nextHistoricalPosition(t: SyncDb): Promise<number> {
  const row = await t.db
    .selectFrom('syncapi_output_room_events')
    .select(sql<number | string | null>`MIN(id)`.as('lowest'))
    .executeTakeFirst();
  const lowest = row?.lowest === null || row?.lowest === undefined ? 0 : Number(row.lowest);
  return Math.min(lowest, 0) - 1;
}

/** Inserts an old event at a negative position; that position, or undefined when it was already stored. */
export async function insertHistoricalEvent(t: SyncDb, row: NewEventRow): Promise<number | undefined> {
  const id = await nextHistoricalPosition(t);
  const inserted = await t.db
    .insertInto('syncapi_output_room_events')
    .values({ ...row, id })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted === undefined ? undefined : Number(inserted.id);
}
