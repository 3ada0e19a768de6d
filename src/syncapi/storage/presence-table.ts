/**
 * Queries on `syncapi_presence`: each local user's latest presence, positioned in the `presence`
 * stream. A change deletes and inserts the user's row, so its position comes after every change
 * committed before it (the userapi's own positions are kept only to drop duplicates: messages of
 * different users may arrive in another order than the userapi numbered them).
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import type { PresenceState } from '../../userapi/api.js';
import { chunkSize, inChunks, type SyncDb } from './sync-db.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** A presence change to store. */
export interface PresenceWrite {
  readonly userId: string;
  readonly presence: PresenceState;
  readonly statusMsg: string | null;
  /** ms since the epoch; null when never active. */
  readonly lastActiveTs: number | null;
  readonly currentlyActive: boolean;
  /** The userapi's position of this change: a change at or below the stored one is stale. */
  readonly sourcePosition: number;
}

/** A stored presence with its `presence` stream position. */
export interface SyncPresence extends PresenceWrite {
  readonly position: number;
}

const COLUMNS = ['id', 'user_id', 'presence', 'status_msg', 'last_active_ts', 'currently_active', 'source_position'] as const;

type Row = {
  id: number;
  user_id: string;
  presence: string;
  status_msg: string | null;
  last_active_ts: number | null;
  currently_active: number;
  source_position: number;
};

function toPresence(r: Row): SyncPresence {
  return {
    position: Number(r.id),
    userId: r.user_id,
    presence: r.presence as PresenceState,
    statusMsg: r.status_msg,
    lastActiveTs: r.last_active_ts === null ? null : Number(r.last_active_ts),
    currentlyActive: Number(r.currently_active) === 1,
    sourcePosition: Number(r.source_position),
  };
}

const currentQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { userId: string }) =>
  db.selectFrom('syncapi_presence').select(COLUMNS).where('user_id', '=', p.userId),
);
const deleteQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { id: number }) => db.deleteFrom('syncapi_presence').where('id', '=', p.id));
const insertQuery = preparedQuery(
  (db: Kysely<SyncapiTables>, p: { userId: string; presence: string; statusMsg: string | null; lastActiveTs: number | null; active: number; source: number }) =>
    db
      .insertInto('syncapi_presence')
      .values({
        user_id: p.userId,
        presence: p.presence,
        status_msg: p.statusMsg,
        last_active_ts: p.lastActiveTs,
        currently_active: p.active,
        source_position: p.source,
      })
      .returning('id'),
);

/**
 * Replaces the user's presence (run inside a transaction). Its new position, or undefined when
 * the stored change is as new or newer (a redelivery, or a late one).
 */
export async function upsertPresence(t: SyncDb, p: PresenceWrite): Promise<number | undefined> {
  const current = await currentQuery.first(t, { userId: p.userId });
  if (current && Number(current.source_position) >= p.sourcePosition) return undefined;
  if (current) await deleteQuery.run(t, { id: Number(current.id) });
  const row = await insertQuery.first(t, {
    userId: p.userId,
    presence: p.presence,
    statusMsg: p.statusMsg,
    lastActiveTs: p.lastActiveTs,
    active: p.currentlyActive ? 1 : 0,
    source: p.sourcePosition,
  });
  return Number(row!.id);
}

/** The stored presence of `userId`, if any. */
export async function selectPresence(t: SyncDb, userId: string): Promise<SyncPresence | undefined> {
  const r = await currentQuery.first(t, { userId });
  return r === undefined ? undefined : toPresence(r);
}

// Run by every sync to fix the end of its range.
const latestQuery = preparedQuery((db: Kysely<SyncapiTables>, _p: Record<string, never>) =>
  db.selectFrom('syncapi_presence').select((eb) => eb.fn.max('id').as('max')),
);

/** The latest `presence` stream position (0 when nobody has presence). */
export async function selectLatestPresencePosition(t: SyncDb): Promise<number> {
  const r = await latestQuery.first(t, {});
  return r?.max === null || r?.max === undefined ? 0 : Number(r.max);
}

/**
 * The presence positioned in `(after, upTo]` of `userId` and of everyone joined to one of
 * `roomIds` (the users who share a room with `userId`), in position order.
 */
export async function selectPresenceOfRoomMembers(
  t: SyncDb,
  roomIds: readonly string[],
  userId: string,
  after: number,
  upTo: number,
): Promise<SyncPresence[]> {
  const byUser = new Map<string, SyncPresence>();
  const chunks = roomIds.length === 0 ? [[]] : inChunks([...new Set(roomIds)], chunkSize(t.caps));
  for (const chunk of chunks) {
    const rows = await t.db
      .selectFrom('syncapi_presence')
      .select(COLUMNS)
      .where('id', '>', after)
      .where('id', '<=', upTo)
      .where((eb) => {
        const self = eb('user_id', '=', userId);
        if (chunk.length === 0) return self;
        const members = eb
          .selectFrom('syncapi_current_room_state')
          .select('state_key')
          .where('room_id', 'in', chunk)
          .where('type', '=', 'm.room.member')
          .where('membership', '=', 'join');
        return eb.or([self, eb('user_id', 'in', members)]);
      })
      .execute();
    for (const r of rows) byUser.set(r.user_id, toPresence(r));
  }
  return [...byUser.values()].sort((a, b) => a.position - b.position);
}
