/**
 * A user's membership at a different stream position in each of several rooms, from their member
 * events in `syncapi_output_room_events` (the `unsigned.membership` of the events a sync serves,
 * each timeline starting at its own position). One statement per `ROOMS_PER_UNION` rooms, each
 * part one seek of the `(state_key, type, id)` index.
 */
import type { Selectable } from 'kysely';
import type { OutputRoomEventsTable } from './syncapi-tables.js';
import { inChunks, ROOMS_PER_UNION, type SyncDb } from './sync-db.js';

/** A room and a stream position in it. */
export interface RoomPoint {
  readonly roomId: string;
  /** Member events positioned at or before this count. */
  readonly at: number;
}

/** Whose latest member event to find, in which room, as of which position. */
export interface MemberLookup extends RoomPoint {
  readonly userId: string;
}

type EventColumn = keyof OutputRoomEventsTable & string;

/**
 * For each lookup, the user's latest member event in the room at or before its position (lookups
 * without one left out), with `columns` selected. One statement per `ROOMS_PER_UNION` lookups,
 * each part one seek of the `(state_key, type, id)` index.
 */
export async function selectLatestMemberEvents<C extends EventColumn>(
  t: SyncDb,
  lookups: readonly MemberLookup[],
  columns: readonly C[],
): Promise<Array<Pick<Selectable<OutputRoomEventsTable>, C>>> {
  const out: Array<Pick<Selectable<OutputRoomEventsTable>, C>> = [];
  for (const chunk of inChunks(lookups, ROOMS_PER_UNION)) {
    const parts = chunk.map((l, i) =>
      t.db
        .selectFrom(
          t.db
            .selectFrom('syncapi_output_room_events')
            .select(columns)
            .where('state_key', '=', l.userId)
            .where('type', '=', 'm.room.member')
            .where('room_id', '=', l.roomId)
            .where('id', '<=', l.at)
            .orderBy('id', 'desc')
            .limit(1)
            .as(`m${i}`),
        )
        .selectAll(),
    );
    let q = parts[0]!;
    for (const p of parts.slice(1)) q = q.unionAll(p);
    // Kysely cannot carry a generic column list through the union's types: the rows are exactly those columns.
    out.push(...((await q.execute()) as unknown as Array<Pick<Selectable<OutputRoomEventsTable>, C>>));
  }
  return out;
}

/** `userId`'s membership in each point's room as of its position (rooms where they had none left out). */
export async function selectMembershipsAtEach(t: SyncDb, userId: string, points: readonly RoomPoint[]): Promise<Map<string, string>> {
  const rows = await selectLatestMemberEvents(t, points.map((p) => ({ ...p, userId })), ['room_id', 'membership']);
  return new Map(rows.map((r) => [r.room_id, r.membership ?? 'leave']));
}
