/**
 * Rooms: room ID ↔ room NID, the room version, and the room's head — current state snapshot,
 * forward extremities and last stream position — which change together in one UPDATE.
 */
import type { StorageContext } from './storage-context.js';

/** A room's row. */
export interface RoomRow {
  readonly roomNid: number;
  readonly roomId: string;
  readonly roomVersion: string;
  readonly snapshotNid: number;
  readonly latestEventNids: readonly number[];
  readonly lastStreamPos: number;
}

/** The new head of a room. */
export interface RoomHead {
  readonly snapshotNid: number;
  readonly latestEventNids: readonly number[];
  readonly lastStreamPos: number;
}

/** The room's row, creating it (with no state) when new. */
export async function assignRoom(ctx: StorageContext, roomId: string, roomVersion: string): Promise<RoomRow> {
  const existing = await selectRoom(ctx, roomId);
  if (existing) return existing;
  await ctx.db
    .insertInto('roomserver_rooms')
    .values({ room_id: roomId, room_version: roomVersion, state_snapshot_nid: 0, latest_event_nids: '[]', last_stream_pos: 0 })
    .onConflict((oc) => oc.column('room_id').doNothing())
    .execute();
  const row = await selectRoom(ctx, roomId);
  if (!row) throw new Error(`room ${roomId} was neither inserted nor found`);
  return row;
}

/** The room's row, or undefined when unknown. */
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

/** Moves the room's head. */
export async function updateRoomHead(ctx: StorageContext, roomNid: number, head: RoomHead): Promise<void> {
  await ctx.db
    .updateTable('roomserver_rooms')
    .set({ state_snapshot_nid: head.snapshotNid, latest_event_nids: JSON.stringify(head.latestEventNids), last_stream_pos: head.lastStreamPos })
    .where('room_nid', '=', roomNid)
    .execute();
}
