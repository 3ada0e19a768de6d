/**
 * `syncapi_threads`: one row per thread (a parent with at least one `m.thread` child) holding the
 * (depth, position) of its latest reply, so `/threads` lists a room's threads by latest activity
 * with one range scan of `(room_id, latest_depth, latest_position)` instead of grouping every
 * reply of the room. Kept in the transaction that writes or deletes a thread relation.
 */
import { SYNC_EVENT_COLUMNS, toSyncEvent, type SyncEvent } from './output-room-events-table.js';
import type { SyncDb } from './sync-db.js';

/** Records a reply at (`depth`, `position`) in the thread of `rootId`, if later than its latest. */
export async function advanceThread(t: SyncDb, roomId: string, rootId: string, depth: number, position: number): Promise<void> {
  await t.db
    .insertInto('syncapi_threads')
    .values({ room_id: roomId, root_id: rootId, latest_depth: depth, latest_position: position })
    .onConflict((oc) =>
      oc
        .columns(['room_id', 'root_id'])
        .doUpdateSet((eb) => ({ latest_depth: eb.ref('excluded.latest_depth'), latest_position: eb.ref('excluded.latest_position') }))
        .where((eb) => eb(eb.refTuple('excluded.latest_depth', 'excluded.latest_position'), '>', eb.refTuple('syncapi_threads.latest_depth', 'syncapi_threads.latest_position'))),
    )
    .execute();
}

/** Sets the thread's latest reply from its remaining replies (one was redacted); drops it when none is left. */
export async function recomputeThread(t: SyncDb, roomId: string, rootId: string): Promise<void> {
  const latest = await t.db
    .selectFrom('syncapi_relations')
    .select(['depth', 'position'])
    .where('relates_to', '=', rootId)
    .where('rel_type', '=', 'm.thread')
    .where('room_id', '=', roomId)
    .orderBy('depth', 'desc')
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest === undefined) {
    await t.db.deleteFrom('syncapi_threads').where('room_id', '=', roomId).where('root_id', '=', rootId).execute();
    return;
  }
  await t.db
    .updateTable('syncapi_threads')
    .set({ latest_depth: Number(latest.depth), latest_position: Number(latest.position) })
    .where('room_id', '=', roomId)
    .where('root_id', '=', rootId)
    .execute();
}

/** A thread root with its latest activity. */
export interface ThreadRoot {
  readonly root: SyncEvent;
  /** The (depth, position) of the thread's latest reply. */
  readonly latestDepth: number;
  readonly latestPosition: number;
}

/** One page of a room's threads. */
export interface ThreadsPageQuery {
  readonly roomId: string;
  /** Only threads this user started or replied to. */
  readonly participant?: string;
  /** Only threads whose latest reply is before this point (exclusive), as `t<depth>_<position>` names it. */
  readonly before?: { readonly depth: number; readonly position: number };
  readonly limit: number;
}

const EVENT_COLUMNS = SYNC_EVENT_COLUMNS.map((c) => `e.${c}` as const);

/**
 * The room's threads whose root is stored here, latest activity first. Participation is the
 * spec's: the user sent the root, or a reply in the thread.
 */
export async function selectThreadsPage(t: SyncDb, q: ThreadsPageQuery): Promise<ThreadRoot[]> {
  if (q.limit <= 0) return [];
  const participant = q.participant;
  const before = q.before;
  const rows = await t.db
    .selectFrom('syncapi_threads as t')
    .innerJoin('syncapi_output_room_events as e', (j) => j.onRef('e.event_id', '=', 't.root_id').onRef('e.room_id', '=', 't.room_id'))
    .select([...EVENT_COLUMNS, 't.latest_depth', 't.latest_position'])
    .where('t.room_id', '=', q.roomId)
    .$if(before !== undefined, (b) => b.where((eb) => eb(eb.refTuple('t.latest_depth', 't.latest_position'), '<', eb.tuple(before!.depth, before!.position))))
    .$if(participant !== undefined, (b) =>
      b.where((eb) =>
        eb.or([
          eb('e.sender', '=', participant!),
          eb.exists(
            eb
              .selectFrom('syncapi_relations as r')
              .select('r.event_id')
              .whereRef('r.relates_to', '=', 't.root_id')
              .where('r.rel_type', '=', 'm.thread')
              .whereRef('r.room_id', '=', 't.room_id')
              .where('r.sender', '=', participant!),
          ),
        ]),
      ),
    )
    .orderBy('t.latest_depth', 'desc')
    .orderBy('t.latest_position', 'desc')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ root: toSyncEvent(r), latestDepth: Number(r.latest_depth), latestPosition: Number(r.latest_position) }));
}
