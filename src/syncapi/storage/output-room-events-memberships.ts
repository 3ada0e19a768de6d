/**
 * A user's membership at a different stream position in each of several rooms, from their member
 * events in `syncapi_output_room_events` (the `unsigned.membership` of the events a sync serves,
 * each timeline starting at its own position). One statement per `ROOMS_PER_UNION` rooms, each
 * part one seek of the `(state_key, type, id)` index.
 */
import { inChunks, ROOMS_PER_UNION, type SyncDb } from './sync-db.js';

/** A room and a stream position in it. */
export interface RoomPoint {
  readonly roomId: string;
  /** Member events positioned at or before this count. */
  readonly at: number;
}

/** `userId`'s membership in each point's room as of its position (rooms where they had none left out). */
export async function selectMembershipsAtEach(t: SyncDb, userId: string, points: readonly RoomPoint[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of inChunks(points, ROOMS_PER_UNION)) {
    const parts = chunk.map((p, i) =>
      t.db
        .selectFrom(
          t.db
            .selectFrom('syncapi_output_room_events')
            .select(['room_id', 'membership'])
            .where('state_key', '=', userId)
            .where('type', '=', 'm.room.member')
            .where('room_id', '=', p.roomId)
            .where('id', '<=', p.at)
            .orderBy('id', 'desc')
            .limit(1)
            .as(`m${i}`),
        )
        .selectAll(),
    );
    let q = parts[0]!;
    for (const p of parts.slice(1)) q = q.unionAll(p);
    for (const r of await q.execute()) out.set(r.room_id, r.membership ?? 'leave');
  }
  return out;
}
