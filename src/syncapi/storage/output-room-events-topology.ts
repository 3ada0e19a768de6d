/**
 * Reads of `syncapi_output_room_events` in a room's topological order, (depth, stream position),
 * for `/messages` and `/context`: the order of the room's DAG, with the stream position breaking
 * ties between events of equal depth (forks), so the order is total and a page boundary never
 * splits or repeats an event. Each page is one range scan of the `(room_id, depth, id)` index
 * (`topological-index-migration.ts`), prepared once per engine.
 */
import { selectLatestMemberEvents } from './output-room-events-memberships.js';
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import { SYNC_EVENT_COLUMNS, toSyncEvent, type SyncEvent } from './output-room-events-table.js';
import type { SyncDb } from './sync-db.js';
import type { SyncapiTables } from './syncapi-tables.js';

/**
 * A point in a room's topological order: just before the event at (`depth`, `position`), whether
 * or not such an event exists. An event is after the point when its (depth, position) is at
 * least the point's, compared depth first.
 */
export interface TopologicalPoint {
  readonly depth: number;
  readonly position: number;
}

/** The events of one room between two points, as one page. */
export interface TopologicalRange {
  readonly roomId: string;
  /** Events at or after this point (inclusive lower bound). */
  readonly from: TopologicalPoint;
  /** Events before this point (exclusive upper bound). */
  readonly to: TopologicalPoint;
  /** Newest first (paginating backwards) rather than oldest first. */
  readonly backwards: boolean;
  readonly limit: number;
}

type PageParams = { roomId: string; fromDepth: number; fromPosition: number; toDepth: number; toPosition: number; limit: number };

function pageQuery(direction: 'asc' | 'desc') {
  return preparedQuery((db: Kysely<SyncapiTables>, p: PageParams) =>
    db
      .selectFrom('syncapi_output_room_events')
      .select(SYNC_EVENT_COLUMNS)
      .where('room_id', '=', p.roomId)
      // Row values, so both engines read them as one range of the (room_id, depth, id) index.
      .where((eb) => eb(eb.refTuple('depth', 'id'), '>=', eb.tuple(p.fromDepth, p.fromPosition)))
      .where((eb) => eb(eb.refTuple('depth', 'id'), '<', eb.tuple(p.toDepth, p.toPosition)))
      .orderBy('depth', direction)
      .orderBy('id', direction)
      .limit(p.limit),
  );
}

// Run for every page of `/messages` and twice per `/context`.
const forwardQuery = pageQuery('asc');
const backwardQuery = pageQuery('desc');

/** Up to `limit` events of the range, oldest first, or newest first when `backwards`. */
export async function selectTopologicalPage(t: SyncDb, r: TopologicalRange): Promise<SyncEvent[]> {
  if (r.limit <= 0) return [];
  const params: PageParams = {
    roomId: r.roomId,
    fromDepth: r.from.depth,
    fromPosition: r.from.position,
    toDepth: r.to.depth,
    toPosition: r.to.position,
    limit: r.limit,
  };
  const rows = await (r.backwards ? backwardQuery : forwardQuery).all(t, params);
  return rows.map(toSyncEvent);
}

// Run for every `/messages` given a sync token.
const lastUpToQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { roomId: string; position: number }) =>
  db
    .selectFrom('syncapi_output_room_events')
    .select(['depth', 'id'])
    .where('room_id', '=', p.roomId)
    .where('id', '<=', p.position)
    .orderBy('depth', 'desc')
    .orderBy('id', 'desc')
    .limit(1),
);

/**
 * The topologically last event of the room among those stored at or before stream `position`:
 * its (depth, position), or undefined when the room had no event then. Scans the topological
 * index down from the room's newest event, so a recent position costs a few rows.
 */
export async function selectLastEventUpTo(t: SyncDb, roomId: string, position: number): Promise<TopologicalPoint | undefined> {
  const r = await lastUpToQuery.first(t, { roomId, position });
  return r === undefined ? undefined : { depth: Number(r.depth), position: Number(r.id) };
}

/**
 * Each user's latest member event in the room at or before stream position `at` (users without
 * one left out): their membership then, in a room whose timeline is linear. One index seek per
 * user, `ROOMS_PER_UNION` users per statement.
 */
export async function selectMemberEventsAt(t: SyncDb, roomId: string, userIds: readonly string[], at: number): Promise<Map<string, SyncEvent>> {
  const rows = await selectLatestMemberEvents(t, [...new Set(userIds)].map((userId) => ({ roomId, userId, at })), SYNC_EVENT_COLUMNS);
  const out = new Map<string, SyncEvent>();
  for (const r of rows) {
    const e = toSyncEvent(r);
    if (e.stateKey !== null) out.set(e.stateKey, e);
  }
  return out;
}
