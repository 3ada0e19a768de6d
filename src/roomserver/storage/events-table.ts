/**
 * Events: each PDU stored once as its JSON text with the columns queries need, its position
 * in the state (snapshot before and after it), and reverse `prev_events` edges so "is this event
 * referenced yet?" (forward extremities) needs no scan. Reads are batched by ID.
 */
import type { Insertable, Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import { chunkSize, inChunks } from '../../internal/sqlutil/in-chunks.js';
import type { EventsTable, RoomserverTables } from './roomserver-tables.js';
import { queryTarget, type StorageContext } from './storage-context.js';

/** An event as stored, with its flags; `json` is the PDU text exactly as stored. */
export interface StoredEvent {
  readonly eventId: string;
  readonly roomId: string;
  readonly roomVersion: string;
  readonly type: string;
  /** `undefined` for message events. */
  readonly stateKey: string | undefined;
  readonly sender: string;
  readonly depth: number;
  readonly originServerTs: number;
  readonly json: string;
  readonly prevEvents: readonly string[];
  readonly authEvents: readonly string[];
  readonly rejected: boolean;
  readonly rejectionReason: string | null;
  /** Stored without state (fetched for auth chains or missing-event gaps). */
  readonly outlier: boolean;
  /** Passed auth at its place in the DAG but not against the current state: not served to clients. */
  readonly softFailed: boolean;
  /** The validated redaction that redacted it (its `json` is then the redacted form). */
  readonly redactedBy: string | null;
}

/** The storage-side facts about an event the write path needs. */
export interface EventRef {
  readonly eventNid: number;
  readonly eventId: string;
  readonly roomNid: number;
  readonly outlier: boolean;
  readonly rejected: boolean;
  readonly stateBeforeNid: number;
  readonly stateAfterNid: number;
}

/** Inserts an event row; its NID, or undefined when an event with that ID is already stored. */
export async function insertEvent(ctx: StorageContext, row: NewEventRow): Promise<number | undefined> {
  const r = await insertEventQuery.first(queryTarget(ctx), row);
  return r?.event_nid;
}

/** Every column of a new event row (the prepared insert binds each one). */
export type NewEventRow = Required<Omit<Insertable<EventsTable>, 'event_nid' | 'redacted_by'>>;

// Run for every event stored: prepared once per engine.
const insertEventQuery = preparedQuery((db: Kysely<RoomserverTables>, p: NewEventRow) => {
  // Every column named: typed as the whole row, so a column added to the table must be added here.
  const values: NewEventRow = {
    event_id: p.event_id,
    room_nid: p.room_nid,
    event_type_nid: p.event_type_nid,
    event_state_key_nid: p.event_state_key_nid,
    depth: p.depth,
    sender: p.sender,
    origin_server_ts: p.origin_server_ts,
    json: p.json,
    prev_event_ids: p.prev_event_ids,
    auth_event_ids: p.auth_event_ids,
    rejected: p.rejected,
    rejection_reason: p.rejection_reason,
    outlier: p.outlier,
    soft_failed: p.soft_failed,
    state_before_nid: p.state_before_nid,
    state_after_nid: p.state_after_nid,
  };
  return db
    .insertInto('roomserver_events')
    .values(values)
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_nid');
});

/**
 * Caches `ref` (and its NID → ID pair) once committed. Every change of an event row's ref (an
 * outlier upgraded) is written by `storeEvent`, which learns the new ref; events are never deleted.
 */
export function learnEventRef(ctx: StorageContext, ref: EventRef): void {
  ctx.afterCommit(() => {
    ctx.caches.eventRefs.set(ref.eventId, ref);
    ctx.caches.eventIds.set(ref.eventNid, ref.eventId);
  });
}

/** The refs of those of `eventIds` that are stored (cached: a send's prev events were just written). */
export async function selectEventRefs(ctx: StorageContext, eventIds: Iterable<string>): Promise<Map<string, EventRef>> {
  const out = new Map<string, EventRef>();
  const missing: string[] = [];
  for (const id of eventIds) {
    if (out.has(id)) continue;
    const ref = ctx.caches.eventRefs.get(id);
    if (ref === undefined) missing.push(id);
    else out.set(id, ref);
  }
  for (const chunk of inChunks([...new Set(missing)], chunkSize(ctx.caps))) {
    const rows = await ctx.db
      .selectFrom('roomserver_events')
      .select(['event_nid', 'event_id', 'room_nid', 'outlier', 'rejected', 'state_before_nid', 'state_after_nid'])
      .where('event_id', 'in', chunk)
      .execute();
    for (const r of rows) {
      const ref: EventRef = {
        eventNid: r.event_nid,
        eventId: r.event_id,
        roomNid: r.room_nid,
        outlier: r.outlier === 1,
        rejected: r.rejected === 1,
        stateBeforeNid: r.state_before_nid,
        stateAfterNid: r.state_after_nid,
      };
      learnEventRef(ctx, ref);
      out.set(r.event_id, ref);
    }
  }
  return out;
}

/** The event IDs of `nids` (cached: current state and forward extremities are mapped on every send). */
export async function selectEventIdsByNid(ctx: StorageContext, nids: Iterable<number>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const missing: number[] = [];
  for (const nid of nids) {
    if (out.has(nid)) continue;
    const id = ctx.caches.eventIds.get(nid);
    if (id === undefined) missing.push(nid);
    else out.set(nid, id);
  }
  for (const chunk of inChunks([...new Set(missing)], chunkSize(ctx.caps))) {
    const rows = await ctx.db.selectFrom('roomserver_events').select(['event_nid', 'event_id']).where('event_nid', 'in', chunk).execute();
    for (const r of rows) {
      out.set(r.event_nid, r.event_id);
      ctx.afterCommit(() => ctx.caches.eventIds.set(r.event_nid, r.event_id));
    }
  }
  return out;
}

/** The stored events among `eventIds`, in no particular order. */
export async function selectEvents(ctx: StorageContext, eventIds: Iterable<string>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (const chunk of inChunks([...new Set(eventIds)], chunkSize(ctx.caps))) {
    const rows = await ctx.db
      .selectFrom('roomserver_events as e')
      .innerJoin('roomserver_rooms as r', 'r.room_nid', 'e.room_nid')
      .innerJoin('roomserver_event_types as t', 't.event_type_nid', 'e.event_type_nid')
      .leftJoin('roomserver_event_state_keys as k', 'k.event_state_key_nid', 'e.event_state_key_nid')
      .select(['e.event_id', 'r.room_id', 'r.room_version', 't.event_type', 'k.event_state_key', 'e.sender', 'e.depth'])
      .select(['e.origin_server_ts', 'e.json', 'e.prev_event_ids', 'e.auth_event_ids', 'e.rejected', 'e.rejection_reason'])
      .select(['e.outlier', 'e.soft_failed', 'e.redacted_by'])
      .where('e.event_id', 'in', chunk)
      .execute();
    for (const r of rows) {
      out.push({
        eventId: r.event_id,
        roomId: r.room_id,
        roomVersion: r.room_version,
        type: r.event_type,
        stateKey: r.event_state_key ?? undefined,
        sender: r.sender,
        depth: r.depth,
        originServerTs: r.origin_server_ts,
        json: r.json,
        prevEvents: JSON.parse(r.prev_event_ids) as string[],
        authEvents: JSON.parse(r.auth_event_ids) as string[],
        rejected: r.rejected === 1,
        rejectionReason: r.rejection_reason,
        outlier: r.outlier === 1,
        softFailed: r.soft_failed === 1,
        redactedBy: r.redacted_by,
      });
    }
  }
  return out;
}

/** Records that `eventNid` lists `prevIds` as its `prev_events`. */
export async function insertPrevEdges(ctx: StorageContext, eventNid: number, prevIds: readonly string[]): Promise<void> {
  const unique = [...new Set(prevIds)];
  // A local send has one prev event almost always: that case is prepared.
  if (unique.length === 1) {
    await insertPrevEdgeQuery.run(queryTarget(ctx), { prevEventId: unique[0]!, eventNid });
    return;
  }
  for (const chunk of inChunks(unique, chunkSize(ctx.caps, 2))) {
    await ctx.db
      .insertInto('roomserver_previous_events')
      .values(chunk.map((prev_event_id) => ({ prev_event_id, event_nid: eventNid })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

const insertPrevEdgeQuery = preparedQuery((db: Kysely<RoomserverTables>, p: { prevEventId: string; eventNid: number }) =>
  db
    .insertInto('roomserver_previous_events')
    .values({ prev_event_id: p.prevEventId, event_nid: p.eventNid })
    .onConflict((oc) => oc.doNothing()),
);

/** Whether some stored event lists `eventId` in its `prev_events`. */
export async function isReferenced(ctx: StorageContext, eventId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('roomserver_previous_events').select('event_nid').where('prev_event_id', '=', eventId).limit(1).executeTakeFirst();
  return row !== undefined;
}
