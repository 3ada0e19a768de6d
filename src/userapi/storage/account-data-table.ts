/**
 * Queries on `userapi_account_data` and its per-user stream counter. Each write takes the next
 * position from the user's counter row; on PostgreSQL that row stays locked until the writing
 * transaction commits, so one user's positions commit in order and an incremental sync can
 * never skip a change that commits late.
 */
import type { Kysely } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

/** Stands for "global" in the room_id column. */
export const GLOBAL_ROOM = '';

export interface StoredAccountData {
  /** null for global data. */
  readonly roomId: string | null;
  readonly type: string;
  /** null when deleted. */
  readonly content: Record<string, unknown> | null;
  readonly streamPosition: number;
}

/** What to read: see `AccountDataQuery` in `storage/index.ts`. */
export interface AccountDataFilter {
  /** A room, null for global only, undefined for global and every room. */
  readonly roomId: string | null | undefined;
  readonly type?: string;
  readonly since?: number;
}

/** Takes the user's next stream position (locks the user's counter row until commit on PostgreSQL). */
export async function nextStreamPosition(db: Kysely<UserapiTables>, localpart: string): Promise<number> {
  const row = await db
    .insertInto('userapi_account_data_streams')
    .values({ localpart, position: 1 })
    .onConflict((oc) =>
      oc.column('localpart').doUpdateSet((eb) => ({ position: eb('userapi_account_data_streams.position', '+', 1) })),
    )
    .returning('position')
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

export async function latestStreamPosition(db: Kysely<UserapiTables>, localpart: string): Promise<number> {
  const row = await db.selectFrom('userapi_account_data_streams').select('position').where('localpart', '=', localpart).executeTakeFirst();
  return row ? Number(row.position) : 0;
}

/** The stream position of one entry (deleted ones included), or null when it never existed. */
export async function selectEntryPosition(db: Kysely<UserapiTables>, localpart: string, roomId: string, type: string): Promise<number | null> {
  const row = await db
    .selectFrom('userapi_account_data')
    .select('stream_pos')
    .where('localpart', '=', localpart)
    .where('room_id', '=', roomId)
    .where('type', '=', type)
    .executeTakeFirst();
  return row ? Number(row.stream_pos) : null;
}

export async function upsertAccountData(
  db: Kysely<UserapiTables>,
  localpart: string,
  roomId: string,
  type: string,
  content: Record<string, unknown> | null,
  position: number,
): Promise<void> {
  const json = content === null ? null : JSON.stringify(content);
  await db
    .insertInto('userapi_account_data')
    .values({ localpart, room_id: roomId, type, content: json, stream_pos: position })
    .onConflict((oc) => oc.columns(['localpart', 'room_id', 'type']).doUpdateSet({ content: json, stream_pos: position }))
    .execute();
}

export async function selectAccountData(db: Kysely<UserapiTables>, localpart: string, f: AccountDataFilter): Promise<StoredAccountData[]> {
  let q = db.selectFrom('userapi_account_data').select(['room_id', 'type', 'content', 'stream_pos']).where('localpart', '=', localpart);
  if (f.roomId !== undefined) q = q.where('room_id', '=', f.roomId ?? GLOBAL_ROOM);
  if (f.type !== undefined) q = q.where('type', '=', f.type);
  // A full read shows what exists; an incremental one must also tell of deletions.
  q = f.since === undefined ? q.where('content', 'is not', null) : q.where('stream_pos', '>', f.since);
  const rows = await q.orderBy('stream_pos').execute();
  return rows.map((r) => ({
    roomId: r.room_id === GLOBAL_ROOM ? null : r.room_id,
    type: r.type,
    content: r.content === null ? null : (JSON.parse(r.content) as Record<string, unknown>),
    streamPosition: Number(r.stream_pos),
  }));
}

/** Deletes every entry of the user (deactivation); the counter stays, so positions never repeat. */
export async function deleteUserAccountData(db: Kysely<UserapiTables>, localpart: string): Promise<void> {
  await db.deleteFrom('userapi_account_data').where('localpart', '=', localpart).execute();
}
