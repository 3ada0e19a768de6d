/**
 * The key change log, `userapi_key_changes`: one row per change of a user's E2EE identity
 * (device keys, a deleted device, cross-signing keys and their signatures), at a position from
 * one server-wide counter. As with presence, the counter row stays locked on PostgreSQL until the
 * writing transaction commits, so positions commit in order and a reader of "changes in
 * (from, to]" never skips one that commits late. The log is append-only so any range is exact.
 */
import type { Kysely } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

/** The one row of `userapi_key_change_stream`. */
const COUNTER_ID = 1;

/** Where a recorded change landed in the log. */
export interface RecordedKeyChange {
  readonly streamPosition: number;
  /** The user's previous change, null for their first. */
  readonly prevStreamPosition: number | null;
}

/** Appends a change for `userId` (call inside the transaction making the change). */
export async function recordKeyChange(trx: Kysely<UserapiTables>, userId: string): Promise<RecordedKeyChange> {
  const counter = await trx
    .insertInto('userapi_key_change_stream')
    .values({ id: COUNTER_ID, position: 1 })
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ position: eb('userapi_key_change_stream.position', '+', 1) })))
    .returning('position')
    .executeTakeFirstOrThrow();
  const prev = await trx
    .selectFrom('userapi_key_changes')
    .select((eb) => eb.fn.max('stream_pos').as('pos'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const streamPosition = Number(counter.position);
  await trx.insertInto('userapi_key_changes').values({ stream_pos: streamPosition, user_id: userId }).execute();
  const prevPos = prev?.pos;
  return { streamPosition, prevStreamPosition: prevPos === null || prevPos === undefined ? null : Number(prevPos) };
}

/** The distinct users with a change in (`from`, `to`], sorted. */
export async function selectKeyChanges(db: Kysely<UserapiTables>, from: number, to: number): Promise<string[]> {
  if (to <= from) return [];
  const rows = await db
    .selectFrom('userapi_key_changes')
    .select('user_id')
    .distinct()
    .where('stream_pos', '>', from)
    .where('stream_pos', '<=', to)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** The latest position handed out, 0 when none. */
export async function latestKeyChangePosition(db: Kysely<UserapiTables>): Promise<number> {
  const row = await db.selectFrom('userapi_key_change_stream').select('position').where('id', '=', COUNTER_ID).executeTakeFirst();
  return row ? Number(row.position) : 0;
}

/** `userId`'s latest position, 0 when they never changed a key. */
export async function userLatestKeyChangePosition(db: Kysely<UserapiTables>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('userapi_key_changes')
    .select((eb) => eb.fn.max('stream_pos').as('pos'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.pos === null || row?.pos === undefined ? 0 : Number(row.pos);
}
