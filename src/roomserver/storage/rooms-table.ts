/**
 * Rooms: room ID ↔ room NID, the room version, and the room's head — current state snapshot,
 * forward extremities and last stream position — which change together in one UPDATE.
 *
 * Heads are cached (every send reads one, up to three times). The cache is replaced after each
 * commit that moves a head, and is exact as long as one process writes a room's head at a time:
 * roomserver input is partitioned by room (DESIGN §7), and inside a process each room's writes
 * go through its queue. The head UPDATE checks the stream position it read, so a head changed
 * elsewhere (a broken partitioning, a failover) fails the write instead of being overwritten.
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import { selectEventIdsByNid } from './events-table.js';
import type { RoomserverTables } from './roomserver-tables.js';
import { queryTarget, type StorageContext } from './storage-context.js';

/** A room's row. */
export interface RoomRow {
  readonly roomNid: number;
  readonly roomId: string;
  readonly roomVersion: string;
  readonly snapshotNid: number;
  readonly latestEventNids: readonly number[];
  readonly lastStreamPos: number;
}

/** A room's row with the event IDs of its forward extremities (in the order of `latestEventNids`). */
export interface RoomHeadRow extends RoomRow {
  readonly latestEventIds: readonly string[];
}

/** The new head of a room. */
export interface RoomHead {
  readonly snapshotNid: number;
  readonly latestEventNids: readonly number[];
  readonly latestEventIds: readonly string[];
  readonly lastStreamPos: number;
}

/** The room's row with its head, creating it (with no state) when new. */
export async function assignRoom(ctx: StorageContext, roomId: string, roomVersion: string): Promise<RoomHeadRow> {
  const existing = await roomHead(ctx, roomId);
  if (existing) return existing;
  await ctx.db
    .insertInto('roomserver_rooms')
    .values({ room_id: roomId, room_version: roomVersion, state_snapshot_nid: 0, latest_event_nids: '[]', last_stream_pos: 0 })
    .onConflict((oc) => oc.column('room_id').doNothing())
    .execute();
  const row = await roomHead(ctx, roomId);
  if (!row) throw new Error(`room ${roomId} was neither inserted nor found`);
  return row;
}

/** The room's row and head, from the cache when there; undefined when unknown. */
export async function roomHead(ctx: StorageContext, roomId: string): Promise<RoomHeadRow | undefined> {
  const cached = ctx.caches.rooms.get(roomId);
  if (cached) return cached;
  const row = await selectRoom(ctx, roomId);
  if (!row) return undefined;
  const ids = await selectEventIdsByNid(ctx, row.latestEventNids);
  const head: RoomHeadRow = { ...row, latestEventIds: row.latestEventNids.map((n) => ids.get(n)!) };
  ctx.afterCommit(() => {
    // A read that raced a commit must not replace the newer head that commit cached.
    const now = ctx.caches.rooms.get(roomId);
    if (!now || now.lastStreamPos < head.lastStreamPos) ctx.caches.rooms.set(roomId, head);
  });
  return head;
}

/** The room's row, read from the table, or undefined when unknown. */
export async function selectRoom(ctx: StorageContext, roomId: string): Promise<RoomRow | undefined> {
  const r = await ctx.db.selectFrom('roomserver_rooms').selectAll().where('room_id', '=', roomId).executeTakeFirst();
  if (!r) return undefined;
  return {
    roomNid: r.room_nid,
    roomId: r.room_id,
    roomVersion: r.room_version,
    snapshotNid: r.state_snapshot_nid,
    latestEventNids: JSON.parse(r.latest_event_nids) as number[],
    lastStreamPos: r.last_stream_pos,
  };
}

/**
 * Moves the head of `room` (as read in this transaction) to `head`; the cache follows on commit.
 * @throws Error when the stored head is no longer the one read (the cached head is dropped, so a
 *   retry starts from the stored one).
 */
// Run for every event that moves a head: prepared once per engine.
const updateHeadQuery = preparedQuery(
  (
    db: Kysely<RoomserverTables>,
    p: { snapshotNid: number; latestEventNids: string; lastStreamPos: number; roomNid: number; readStreamPos: number },
  ) =>
    db
      .updateTable('roomserver_rooms')
      .set({ state_snapshot_nid: p.snapshotNid, latest_event_nids: p.latestEventNids, last_stream_pos: p.lastStreamPos })
      .where('room_nid', '=', p.roomNid)
      .where('last_stream_pos', '=', p.readStreamPos),
);

export async function updateRoomHead(ctx: StorageContext, room: RoomHeadRow, head: RoomHead): Promise<void> {
  const updated = await updateHeadQuery.run(queryTarget(ctx), {
    snapshotNid: head.snapshotNid,
    latestEventNids: JSON.stringify(head.latestEventNids),
    lastStreamPos: head.lastStreamPos,
    roomNid: room.roomNid,
    readStreamPos: room.lastStreamPos,
  });
  if (updated !== 1) {
    ctx.caches.rooms.delete(room.roomId);
    throw new Error(`the head of room ${room.roomId} was moved by another writer; roomserver input must be partitioned by room`);
  }
  const { roomNid, roomId, roomVersion } = room;
  ctx.afterCommit(() => ctx.caches.rooms.set(roomId, { roomNid, roomId, roomVersion, ...head }));
}
