/**
 * Writes of `syncapi_relations`, one row per event that declares a relation (see
 * `relations/relation-of.ts`), and the reads of it that page: `/relations` (direct or recursive)
 * in a parent's topological order. The reads that build bundled aggregations are in
 * `relation-summaries.ts`; thread ordering is kept by `threads-table.ts`.
 *
 * A row lives exactly as long as the relationship: it is written with its event, in the same
 * transaction, and deleted when the event is redacted (redaction breaks the relationship).
 */
import { sql } from 'kysely';
import { SYNC_EVENT_COLUMNS, toSyncEvent, type SyncEvent } from './output-room-events-table.js';
import type { SyncDb } from './sync-db.js';
import { advanceThread, recomputeThread } from './threads-table.js';

/** A relation to store with its event. */
export interface RelationWrite {
  readonly roomId: string;
  /** The child (the relating event). */
  readonly eventId: string;
  /** The parent it relates to. */
  readonly parentId: string;
  readonly relType: string;
  /** The child's event type. */
  readonly type: string;
  readonly sender: string;
  /** The child's stream position (its `syncapi_output_room_events.id`). */
  readonly position: number;
  readonly depth: number;
  readonly originServerTs: number;
}

/** Stores a relation (a redelivered one changes nothing) and moves its thread forward. */
export async function insertRelation(t: SyncDb, r: RelationWrite): Promise<void> {
  const inserted = await t.db
    .insertInto('syncapi_relations')
    .values({
      event_id: r.eventId,
      room_id: r.roomId,
      relates_to: r.parentId,
      rel_type: r.relType,
      type: r.type,
      sender: r.sender,
      position: r.position,
      depth: r.depth,
      origin_server_ts: r.originServerTs,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 && r.relType === 'm.thread') await advanceThread(t, r.roomId, r.parentId, r.depth, r.position);
}

/** Forgets the relation `eventId` declared, if any (it was redacted); its thread steps back. */
export async function deleteRelation(t: SyncDb, eventId: string): Promise<void> {
  const gone = await t.db.deleteFrom('syncapi_relations').where('event_id', '=', eventId).returning(['room_id', 'relates_to', 'rel_type']).executeTakeFirst();
  if (gone?.rel_type === 'm.thread') await recomputeThread(t, gone.room_id, gone.relates_to);
}

/** A point in topological order: just before the event at (depth, position). */
export interface RelationBound {
  readonly depth: number;
  readonly position: number;
}

/** One page of a parent's children. */
export interface RelationsPageQuery {
  readonly roomId: string;
  readonly parentId: string;
  /** Only children with this `rel_type` (at every level when recursing). */
  readonly relType?: string;
  /** Only children of this event type (at every level when recursing). */
  readonly eventType?: string;
  /** `b`: newest first, from `from` down to `to`; `f`: oldest first, from `from` up to `to`. */
  readonly dir: 'b' | 'f';
  readonly from?: RelationBound;
  readonly to?: RelationBound;
  readonly limit: number;
  /** 1: direct children only; n: children up to n relations away, through matching events only. */
  readonly maxDepth: number;
}

const EVENT_COLUMNS = SYNC_EVENT_COLUMNS.map((c) => `e.${c}` as const);

/**
 * Up to `limit` children of the parent in `(depth, position)` order, with their events. Direct
 * children are one range of the `(relates_to, rel_type, depth, position)` index; recursion is a
 * recursive CTE over the parent index, bounded by `maxDepth` (so a cycle of forged event IDs in
 * old room versions cannot loop).
 */
export async function selectRelationsPage(t: SyncDb, q: RelationsPageQuery): Promise<SyncEvent[]> {
  if (q.limit <= 0) return [];
  const order = q.dir === 'b' ? 'desc' : 'asc';
  const [lower, upper] = q.dir === 'b' ? [q.to, q.from] : [q.from, q.to];
  // The CTE is declared either way (one query shape to type) and left unread without recursion:
  // neither engine evaluates a CTE nothing refers to.
  let query = t.db
    .withRecursive('related(event_id, level)', (db) =>
      db
        .selectFrom('syncapi_relations as r')
        .select(['r.event_id', sql<number>`1`.as('level')])
        .where('r.relates_to', '=', q.parentId)
        .where('r.room_id', '=', q.roomId)
        .$if(q.relType !== undefined, (b) => b.where('r.rel_type', '=', q.relType!))
        .$if(q.eventType !== undefined, (b) => b.where('r.type', '=', q.eventType!))
        .unionAll(
          db
            .selectFrom('syncapi_relations as r')
            .innerJoin('related', 'related.event_id', 'r.relates_to')
            .select(['r.event_id', sql<number>`related.level + 1`.as('level')])
            .where('related.level', '<', q.maxDepth)
            .where('r.room_id', '=', q.roomId)
            .$if(q.relType !== undefined, (b) => b.where('r.rel_type', '=', q.relType!))
            .$if(q.eventType !== undefined, (b) => b.where('r.type', '=', q.eventType!)),
        ),
    )
    .selectFrom('syncapi_relations as r')
    .innerJoin('syncapi_output_room_events as e', 'e.id', 'r.position')
    .select(EVENT_COLUMNS)
    .where('r.room_id', '=', q.roomId);
  if (q.maxDepth <= 1) {
    query = query
      .where('r.relates_to', '=', q.parentId)
      .$if(q.relType !== undefined, (b) => b.where('r.rel_type', '=', q.relType!))
      .$if(q.eventType !== undefined, (b) => b.where('r.type', '=', q.eventType!));
  } else {
    query = query.where('r.event_id', 'in', (eb) => eb.selectFrom('related').select('related.event_id'));
  }
  // Children at or after the lower point, before the upper one (as `/messages` reads a room).
  if (lower) query = query.where((eb) => eb(eb.refTuple('r.depth', 'r.position'), '>=', eb.tuple(lower.depth, lower.position)));
  if (upper) query = query.where((eb) => eb(eb.refTuple('r.depth', 'r.position'), '<', eb.tuple(upper.depth, upper.position)));
  const rows = await query.orderBy('r.depth', order).orderBy('r.position', order).limit(q.limit).execute();
  return rows.map(toSyncEvent);
}
