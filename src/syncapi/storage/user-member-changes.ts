/**
 * A user's member events in one room over a stretch of its topological order, for the
 * `unsigned.membership` of the events `/messages`, `/context`, `/relations` and `/threads` serve
 * (the requester's membership at each one): the events inside the stretch, and the last one
 * before it, which says what the membership was as the stretch begins. One statement of two
 * parts, each a seek of the `(state_key, type, id)` index on the user's member events.
 */
import type { TopologicalPoint } from './output-room-events-topology.js';
import type { SyncDb } from './sync-db.js';

/** One of the user's member events, placed in the room's topological order. */
export interface MemberChange {
  readonly depth: number;
  readonly position: number;
  /** Its `content.membership` (`leave` when the stored event has none). */
  readonly membership: string;
}

/**
 * `userId`'s member events in `roomId` at or after `from` and before `to`, preceded by the last one
 * before `from` if any, in topological order.
 */
export async function selectUserMemberChanges(t: SyncDb, roomId: string, userId: string, from: TopologicalPoint, to: TopologicalPoint): Promise<MemberChange[]> {
  const own = () =>
    t.db
      .selectFrom('syncapi_output_room_events')
      .select(['depth', 'id', 'membership'])
      .where('state_key', '=', userId)
      .where('type', '=', 'm.room.member')
      .where('room_id', '=', roomId);
  const before = own()
    .where((eb) => eb(eb.refTuple('depth', 'id'), '<', eb.tuple(from.depth, from.position)))
    .orderBy('depth', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .as('b');
  const inside = own()
    .where((eb) => eb(eb.refTuple('depth', 'id'), '>=', eb.tuple(from.depth, from.position)))
    .where((eb) => eb(eb.refTuple('depth', 'id'), '<', eb.tuple(to.depth, to.position)))
    .as('i');
  const rows = await t.db.selectFrom(before).selectAll().unionAll(t.db.selectFrom(inside).selectAll()).execute();
  return rows
    .map((r) => ({ depth: Number(r.depth), position: Number(r.id), membership: r.membership ?? 'leave' }))
    .sort((a, b) => a.depth - b.depth || a.position - b.position);
}
