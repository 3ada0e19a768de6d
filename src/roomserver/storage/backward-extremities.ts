/**
 * A room's backward extremities: the events of its DAG (stored with state, not rejected) with a
 * prev event we do not have in the DAG — unknown, or only an outlier. Backfill asks other
 * servers for what lies before them. A room joined over federation has one at first, the join.
 *
 * Read shallowest first over the `(room_nid, depth)` index, in batches, each batch's prev events
 * checked in one query; the walk stops once it has found what was asked or read a bounded number
 * of events. The earliest extremities are what paging back needs, and they sit at the bottom of
 * what we hold; a room complete from its create event up is walked only as far as the budget.
 */
import { chunkSize, inChunks } from '../../internal/sqlutil/in-chunks.js';
import { roomHead } from './rooms-table.js';
import type { StorageContext } from './storage-context.js';

/** Events read per batch. */
const BATCH = 200;
/** Events read at most per call. */
const SCAN_BUDGET = 2000;

/** Up to `max` backward extremities of the room, shallowest first (ties by event ID). */
export async function selectBackwardExtremities(ctx: StorageContext, roomId: string, max: number): Promise<string[]> {
  const room = await roomHead(ctx, roomId);
  if (!room || max <= 0) return [];
  const found: { eventId: string; depth: number }[] = [];
  let after: { depth: number; nid: number } | undefined;
  for (let scanned = 0; scanned < SCAN_BUDGET && found.length < max; ) {
    const cursor = after;
    const rows = await ctx.db
      .selectFrom('roomserver_events')
      .select(['event_nid', 'event_id', 'depth', 'prev_event_ids'])
      .where('room_nid', '=', room.roomNid)
      .where('outlier', '=', 0)
      .where('rejected', '=', 0)
      .$if(cursor !== undefined, (q) =>
        q.where((eb) => eb.or([eb('depth', '>', cursor!.depth), eb.and([eb('depth', '=', cursor!.depth), eb('event_nid', '>', cursor!.nid)])])),
      )
      .orderBy('depth', 'asc')
      .orderBy('event_nid', 'asc')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    scanned += rows.length;
    const last = rows[rows.length - 1]!;
    after = { depth: Number(last.depth), nid: Number(last.event_nid) };
    const prevsOf = rows.map((r) => ({ eventId: r.event_id, depth: Number(r.depth), prevs: JSON.parse(r.prev_event_ids) as string[] }));
    const placed = await placedEventIds(ctx, [...new Set(prevsOf.flatMap((r) => r.prevs))]);
    for (const r of prevsOf) if (r.prevs.some((p) => !placed.has(p))) found.push(r);
    if (rows.length < BATCH) break;
  }
  found.sort((a, b) => a.depth - b.depth || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  return found.slice(0, max).map((f) => f.eventId);
}

/** Those of `eventIds` stored in the DAG (not as outliers; a rejected event is placed too: fetching it again changes nothing). */
async function placedEventIds(ctx: StorageContext, eventIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of inChunks(eventIds, chunkSize(ctx.caps))) {
    const rows = await ctx.db.selectFrom('roomserver_events').select('event_id').where('event_id', 'in', chunk).where('outlier', '=', 0).execute();
    for (const r of rows) out.add(r.event_id);
  }
  return out;
}
