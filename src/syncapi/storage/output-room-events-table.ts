/**
 * Queries on `syncapi_output_room_events`, the syncapi's copy of every room's timeline in stream
 * order. The statements run on every event received (insert) and every sync (latest position)
 * are prepared once per engine; reads over many rooms are one statement per chunk of rooms, a
 * `UNION ALL` of one index seek per room, never a query per room.
 */
import { groupByRoom } from '../group-by-room.js';
import { selectMembershipsAtEach } from './output-room-events-memberships.js';
import type { Insertable, Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import { chunkSize, inChunks, ROOMS_PER_UNION, type SyncDb } from './sync-db.js';
import type { OutputRoomEventsTable, SyncapiTables } from './syncapi-tables.js';

/** An event as the syncapi stores it. */
export interface SyncEvent {
  /** Its stream position (the `pdu` stream). */
  readonly position: number;
  readonly roomId: string;
  readonly eventId: string;
  readonly type: string;
  readonly sender: string;
  /** null for message events. */
  readonly stateKey: string | null;
  /** `content.membership` of a member event, null otherwise. */
  readonly membership: string | null;
  readonly depth: number;
  /** The client-format event, as JSON text. */
  readonly json: string;
  /** Event IDs that entered the room's current state with it. */
  readonly addsState: readonly string[];
  /** Event IDs that left the room's current state with it. */
  readonly removesState: readonly string[];
  /** A local send's device and transaction ID (echoed to that device only). */
  readonly txnDeviceId: string | null;
  readonly txnId: string | null;
}

/** Every column of a new row (the prepared insert binds each one). */
export type NewEventRow = Required<Omit<Insertable<OutputRoomEventsTable>, 'id' | 'redacted'>>;

const COLUMNS = [
  'id',
  'room_id',
  'event_id',
  'type',
  'sender',
  'state_key',
  'membership',
  'depth',
  'json',
  'adds_state',
  'removes_state',
  'txn_device_id',
  'txn_id',
] as const;

type EventRow = Pick<OutputRoomEventsTable, Exclude<(typeof COLUMNS)[number], 'id'>> & { id: number };

/** The row as a {@link SyncEvent}. */
export function toSyncEvent(r: EventRow): SyncEvent {
  return {
    position: Number(r.id),
    roomId: r.room_id,
    eventId: r.event_id,
    type: r.type,
    sender: r.sender,
    stateKey: r.state_key,
    membership: r.membership,
    depth: Number(r.depth),
    json: r.json,
    addsState: JSON.parse(r.adds_state) as string[],
    removesState: JSON.parse(r.removes_state) as string[],
    txnDeviceId: r.txn_device_id,
    txnId: r.txn_id,
  };
}

// Run for every event received.
const insertQuery = preparedQuery((db: Kysely<SyncapiTables>, p: NewEventRow) => {
  // Every column named: typed as the whole row, so a column added to the table must be added here.
  const values: NewEventRow = {
    room_id: p.room_id,
    event_id: p.event_id,
    type: p.type,
    sender: p.sender,
    state_key: p.state_key,
    membership: p.membership,
    depth: p.depth,
    origin_server_ts: p.origin_server_ts,
    json: p.json,
    stripped_state: p.stripped_state,
    adds_state: p.adds_state,
    removes_state: p.removes_state,
    changes_state: p.changes_state,
    txn_device_id: p.txn_device_id,
    txn_id: p.txn_id,
  };
  return db
    .insertInto('syncapi_output_room_events')
    .values(values)
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('id');
});

/** Inserts an event; its stream position, or undefined when it was already stored. */
export async function insertEvent(t: SyncDb, row: NewEventRow): Promise<number | undefined> {
  const r = await insertQuery.first(t, row);
  return r === undefined ? undefined : Number(r.id);
}

const hasEventQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { eventId: string }) =>
  db.selectFrom('syncapi_output_room_events').select('id').where('event_id', '=', p.eventId),
);

/** Whether the event is stored. */
export async function hasEvent(t: SyncDb, eventId: string): Promise<boolean> {
  return (await hasEventQuery.first(t, { eventId })) !== undefined;
}

// Run by every sync to fix the end of its range.
const latestQuery = preparedQuery((db: Kysely<SyncapiTables>, _p: Record<string, never>) =>
  db.selectFrom('syncapi_output_room_events').select((eb) => eb.fn.max('id').as('max')),
);

/** The latest stream position (0 when nothing is stored). */
export async function selectLatestPosition(t: SyncDb): Promise<number> {
  const r = await latestQuery.first(t, {});
  return r?.max === null || r?.max === undefined ? 0 : Number(r.max);
}

/** The stored events among `eventIds` (unknown ones left out, no particular order). */
export async function selectEventsByIds(t: SyncDb, eventIds: readonly string[]): Promise<SyncEvent[]> {
  const out: SyncEvent[] = [];
  for (const chunk of inChunks([...new Set(eventIds)], chunkSize(t.caps))) {
    const rows = await t.db.selectFrom('syncapi_output_room_events').select(COLUMNS).where('event_id', 'in', chunk).execute();
    for (const r of rows) out.push(toSyncEvent(r));
  }
  return out;
}

/** A position range of one room: after `after`, up to and including `upTo`. */
export interface RoomRange {
  readonly roomId: string;
  readonly after: number;
  readonly upTo: number;
}

/**
 * The `end` `limit` events of each room's range (`earliest`: its first ones, `latest`: its last
 * ones), in no particular order. One index seek per room, `ROOMS_PER_UNION` rooms per statement.
 */
export async function selectRangeEnds(t: SyncDb, ranges: readonly RoomRange[], limit: number, end: 'earliest' | 'latest'): Promise<SyncEvent[]> {
  const out: SyncEvent[] = [];
  for (const chunk of inChunks(ranges, ROOMS_PER_UNION)) {
    const parts = chunk.map((r, i) =>
      t.db
        .selectFrom(
          t.db
            .selectFrom('syncapi_output_room_events')
            .select(COLUMNS)
            .where('room_id', '=', r.roomId)
            .where('id', '>', r.after)
            .where('id', '<=', r.upTo)
            .orderBy('id', end === 'earliest' ? 'asc' : 'desc')
            .limit(limit)
            .as(`r${i}`),
        )
        .selectAll(),
    );
    let q = parts[0]!;
    for (const p of parts.slice(1)) q = q.unionAll(p);
    for (const r of await q.execute()) out.push(toSyncEvent(r));
  }
  return out;
}

/** The latest `limit` events of each room's range, oldest first per room. */
export async function selectRecentEvents(t: SyncDb, ranges: readonly RoomRange[], limit: number): Promise<Map<string, SyncEvent[]>> {
  const out = groupByRoom(await selectRangeEnds(t, ranges, limit, 'latest'));
  for (const list of out.values()) list.sort((a, b) => a.position - b.position);
  return out;
}

/** The rooms with at least one event after `after`, up to `upTo`. */
export async function selectActiveRooms(t: SyncDb, after: number, upTo: number): Promise<string[]> {
  const rows = await t.db
    .selectFrom('syncapi_output_room_events')
    .select('room_id')
    .distinct()
    .where('id', '>', after)
    .where('id', '<=', upTo)
    .execute();
  return rows.map((r) => r.room_id);
}

/** The events of each range that changed their room's state, oldest first. One index seek per room. */
export async function selectStateChanges(t: SyncDb, ranges: readonly RoomRange[]): Promise<SyncEvent[]> {
  const out: SyncEvent[] = [];
  for (const chunk of inChunks(ranges, ROOMS_PER_UNION)) {
    const parts = chunk.map((r) =>
      t.db
        .selectFrom('syncapi_output_room_events')
        .select(COLUMNS)
        .where('room_id', '=', r.roomId)
        .where('changes_state', '=', 1)
        .where('id', '>', r.after)
        .where('id', '<=', r.upTo),
    );
    let q = parts[0]!;
    for (const p of parts.slice(1)) q = q.unionAll(p);
    for (const r of await q.execute()) out.push(toSyncEvent(r));
  }
  return out.sort((a, b) => a.position - b.position);
}

/** A user's membership event, as the incremental sync reads them. */
export interface MembershipEvent {
  readonly roomId: string;
  readonly eventId: string;
  readonly position: number;
  readonly membership: string;
}

/** The member events of `userId` after `after`, up to `upTo`, oldest first. */
export async function selectMembershipEvents(t: SyncDb, userId: string, after: number, upTo: number): Promise<MembershipEvent[]> {
  const rows = await t.db
    .selectFrom('syncapi_output_room_events')
    .select(['room_id', 'event_id', 'id', 'membership'])
    .where('state_key', '=', userId)
    .where('type', '=', 'm.room.member')
    .where('id', '>', after)
    .where('id', '<=', upTo)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ roomId: r.room_id, eventId: r.event_id, position: Number(r.id), membership: r.membership ?? 'leave' }));
}

/** The membership `userId` had in each of `roomIds` at position `at` (rooms where they had none left out). */
export function selectMembershipsAt(t: SyncDb, userId: string, roomIds: readonly string[], at: number): Promise<Map<string, string>> {
  return selectMembershipsAtEach(t, userId, [...new Set(roomIds)].map((roomId) => ({ roomId, at })));
}

/** The stripped state stored with invites and knocks, by event ID (events without any left out). */
export async function selectStrippedState(t: SyncDb, eventIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of inChunks([...new Set(eventIds)], chunkSize(t.caps))) {
    const rows = await t.db
      .selectFrom('syncapi_output_room_events')
      .select(['event_id', 'stripped_state'])
      .where('event_id', 'in', chunk)
      .execute();
    for (const r of rows) if (r.stripped_state !== null) out.set(r.event_id, r.stripped_state);
  }
  return out;
}

/** Replaces an event's JSON by its redacted form; false when the event is not stored. */
export async function updateRedactedEvent(t: SyncDb, eventId: string, json: string): Promise<boolean> {
  const r = await t.db
    .updateTable('syncapi_output_room_events')
    .set({ json, redacted: 1, stripped_state: null })
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The columns {@link toSyncEvent} reads, for queries on this table written elsewhere. */
export const SYNC_EVENT_COLUMNS = COLUMNS;
