/**
 * Every room with current state and its sizes, in one query: what the admin room list pages
 * and sorts. Counting per room from the membership table keeps it one round trip however many
 * rooms the server has.
 */
import type { StorageContext } from './storage-context.js';

/** A room of the listing. */
export interface RoomListingRow {
  readonly roomId: string;
  readonly roomVersion: string;
  /** Users whose current membership is `join`. */
  readonly joinedMembers: number;
  /** Those of them on `localServer`. */
  readonly joinedLocalMembers: number;
}

/** Rooms with current state (not those known only through invites or outliers), by room ID; only `roomId` when given. */
export async function selectRoomListing(ctx: StorageContext, localServer: string, roomId?: string): Promise<RoomListingRow[]> {
  let query = ctx.db
    .selectFrom('roomserver_rooms as r')
    .leftJoin('roomserver_membership as m', (join) => join.onRef('m.room_nid', '=', 'r.room_nid').on('m.membership', '=', 'join'))
    .select((eb) => [
      'r.room_id',
      'r.room_version',
      eb.fn.count<number | string>('m.target_nid').as('joined'),
      eb.fn.sum<number | string | null>(eb.case().when('m.target_server', '=', localServer).then(1).else(0).end()).as('local'),
    ])
    .where('r.state_snapshot_nid', '!=', 0);
  if (roomId !== undefined) query = query.where('r.room_id', '=', roomId);
  const rows = await query.groupBy(['r.room_nid', 'r.room_id', 'r.room_version']).orderBy('r.room_id').execute();
  // PostgreSQL answers counts and sums as strings (bigint), SQLite as numbers.
  return rows.map((r) => ({
    roomId: r.room_id,
    roomVersion: r.room_version,
    joinedMembers: Number(r.joined),
    joinedLocalMembers: Number(r.local ?? 0),
  }));
}
