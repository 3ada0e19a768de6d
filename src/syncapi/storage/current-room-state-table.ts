/**
 * Queries on `syncapi_current_room_state`: each room's current state with the events' client JSON,
 * so an initial sync serves state without asking the roomserver. Rows change only with the
 * event that changes them (same transaction), so the table and the timeline never disagree.
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import { chunkSize, inChunks, ROOMS_PER_UNION, type SyncDb } from './sync-db.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** One entry of a room's current state. */
export interface SyncStateEntry {
  readonly roomId: string;
  readonly type: string;
  readonly stateKey: string;
  readonly eventId: string;
  /** The client-format event, as JSON text. */
  readonly json: string;
  /** `content.membership` of a member event, null otherwise. */
  readonly membership: string | null;
  /** The stream position at which it became current. */
  readonly addedAt: number;
}

/** A state entry to write (its position is the writing event's). */
export interface StateEntryWrite {
  readonly type: string;
  readonly stateKey: string;
  readonly eventId: string;
  readonly json: string;
  readonly membership: string | null;
}

/** One of a user's memberships. */
export interface UserMembership {
  readonly roomId: string;
  readonly membership: string;
  readonly eventId: string;
  /** The stream position at which this membership event became current. */
  readonly addedAt: number;
}

const COLUMNS = ['room_id', 'type', 'state_key', 'event_id', 'json', 'membership', 'added_at'] as const;

type Row = { room_id: string; type: string; state_key: string; event_id: string; json: string; membership: string | null; added_at: number };

function toEntry(r: Row): SyncStateEntry {
  return { roomId: r.room_id, type: r.type, stateKey: r.state_key, eventId: r.event_id, json: r.json, membership: r.membership, addedAt: Number(r.added_at) };
}

type UpsertParams = { roomId: string; type: string; stateKey: string; eventId: string; json: string; membership: string | null; addedAt: number };

// Run for almost every state event received: the event replaces its own (type, state key).
const upsertQuery = preparedQuery((db: Kysely<SyncapiTables>, p: UpsertParams) =>
  db
    .insertInto('syncapi_current_room_state')
    .values({ room_id: p.roomId, type: p.type, state_key: p.stateKey, event_id: p.eventId, json: p.json, membership: p.membership, added_at: p.addedAt })
    .onConflict((oc) =>
      oc.columns(['room_id', 'type', 'state_key']).doUpdateSet({ event_id: p.eventId, json: p.json, membership: p.membership, added_at: p.addedAt }),
    ),
);

const deleteOneQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { roomId: string; eventId: string }) =>
  db.deleteFrom('syncapi_current_room_state').where('event_id', '=', p.eventId).where('room_id', '=', p.roomId),
);

/** Applies a state delta: `removes` (event IDs) leave the state, then `adds` enter it at `position`. */
export async function applyStateDelta(t: SyncDb, roomId: string, position: number, adds: readonly StateEntryWrite[], removes: readonly string[]): Promise<void> {
  if (removes.length === 1) await deleteOneQuery.run(t, { roomId, eventId: removes[0]! });
  else {
    for (const chunk of inChunks(removes, chunkSize(t.caps))) {
      await t.db.deleteFrom('syncapi_current_room_state').where('room_id', '=', roomId).where('event_id', 'in', chunk).execute();
    }
  }
  for (const a of adds) await upsertQuery.run(t, { roomId, type: a.type, stateKey: a.stateKey, eventId: a.eventId, json: a.json, membership: a.membership, addedAt: position });
}

/** Replaces a room's whole current state (a room first seen mid-stream). */
export async function replaceRoomState(t: SyncDb, roomId: string, position: number, entries: readonly StateEntryWrite[]): Promise<void> {
  await t.db.deleteFrom('syncapi_current_room_state').where('room_id', '=', roomId).execute();
  for (const chunk of inChunks(entries, chunkSize(t.caps, 7))) {
    await t.db
      .insertInto('syncapi_current_room_state')
      .values(chunk.map((a) => ({ room_id: roomId, type: a.type, state_key: a.stateKey, event_id: a.eventId, json: a.json, membership: a.membership, added_at: position })))
      .execute();
  }
}

/** Replaces a state event's JSON by its redacted form (no-op when it is not current). */
export async function updateRedactedState(t: SyncDb, eventId: string, json: string): Promise<void> {
  await t.db.updateTable('syncapi_current_room_state').set({ json }).where('event_id', '=', eventId).execute();
}

const hasRoomQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { roomId: string }) =>
  db.selectFrom('syncapi_current_room_state').select('event_id').where('room_id', '=', p.roomId).limit(1),
);

/** Whether the room has any current state here. */
export async function hasRoomState(t: SyncDb, roomId: string): Promise<boolean> {
  return (await hasRoomQuery.first(t, { roomId })) !== undefined;
}

// Run by every sync: the user's rooms.
const userMembershipsQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { userId: string }) =>
  db
    .selectFrom('syncapi_current_room_state')
    .select(['room_id', 'membership', 'event_id', 'added_at'])
    .where('state_key', '=', p.userId)
    .where('type', '=', 'm.room.member'),
);

/** Every current membership of `userId`. */
export async function selectUserMemberships(t: SyncDb, userId: string): Promise<UserMembership[]> {
  const rows = await userMembershipsQuery.all(t, { userId });
  return rows.map((r) => ({ roomId: r.room_id, membership: r.membership ?? 'leave', eventId: r.event_id, addedAt: Number(r.added_at) }));
}

/** The whole current state of `roomIds`. */
export async function selectRoomsState(t: SyncDb, roomIds: readonly string[]): Promise<SyncStateEntry[]> {
  const out: SyncStateEntry[] = [];
  for (const chunk of inChunks([...new Set(roomIds)], chunkSize(t.caps))) {
    const rows = await t.db.selectFrom('syncapi_current_room_state').select(COLUMNS).where('room_id', 'in', chunk).execute();
    for (const r of rows) out.push(toEntry(r));
  }
  return out;
}

/** The state entries with these event IDs (those not current left out). */
export async function selectStateByEventIds(t: SyncDb, eventIds: readonly string[]): Promise<SyncStateEntry[]> {
  const out: SyncStateEntry[] = [];
  for (const chunk of inChunks([...new Set(eventIds)], chunkSize(t.caps))) {
    const rows = await t.db.selectFrom('syncapi_current_room_state').select(COLUMNS).where('event_id', 'in', chunk).execute();
    for (const r of rows) out.push(toEntry(r));
  }
  return out;
}

/** Every joined member of every room: `[roomId, userId]` pairs (the notifier's start-up load). */
export async function selectAllJoinedMembers(t: SyncDb): Promise<Array<readonly [string, string]>> {
  const rows = await t.db
    .selectFrom('syncapi_current_room_state')
    .select(['room_id', 'state_key'])
    .where('type', '=', 'm.room.member')
    .where('membership', '=', 'join')
    .execute();
  return rows.map((r) => [r.room_id, r.state_key] as const);
}

/** Joined and invited member counts per room (rooms with neither left out). */
export async function selectMemberCounts(t: SyncDb, roomIds: readonly string[]): Promise<Map<string, { joined: number; invited: number }>> {
  const out = new Map<string, { joined: number; invited: number }>();
  for (const chunk of inChunks([...new Set(roomIds)], chunkSize(t.caps))) {
    const rows = await t.db
      .selectFrom('syncapi_current_room_state')
      .select((eb) => ['room_id', 'membership', eb.fn.countAll().as('n')])
      .where('room_id', 'in', chunk)
      .where('membership', 'in', ['join', 'invite'])
      .groupBy(['room_id', 'membership'])
      .execute();
    for (const r of rows) {
      const c = out.get(r.room_id) ?? { joined: 0, invited: 0 };
      if (r.membership === 'join') c.joined = Number(r.n);
      else c.invited = Number(r.n);
      out.set(r.room_id, c);
    }
  }
  return out;
}

/**
 * The first `limit` members of each room with one of `memberships`, other than `exceptUserId`,
 * in the order they arrived (the summary's heroes).
 */
export async function selectFirstMembers(
  t: SyncDb,
  roomIds: readonly string[],
  memberships: readonly string[],
  exceptUserId: string,
  limit: number,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const chunk of inChunks([...new Set(roomIds)], ROOMS_PER_UNION)) {
    const parts = chunk.map((roomId, i) =>
      t.db
        .selectFrom(
          t.db
            .selectFrom('syncapi_current_room_state')
            .select(['room_id', 'state_key', 'added_at'])
            .where('room_id', '=', roomId)
            .where('membership', 'in', memberships)
            .where('type', '=', 'm.room.member')
            .where('state_key', '<>', exceptUserId)
            .orderBy('added_at')
            .orderBy('state_key')
            .limit(limit)
            .as(`h${i}`),
        )
        .selectAll(),
    );
    let q = parts[0]!;
    for (const p of parts.slice(1)) q = q.unionAll(p);
    const rows = (await q.execute()).sort((a, b) => Number(a.added_at) - Number(b.added_at) || a.state_key.localeCompare(b.state_key));
    for (const r of rows) {
      const list = out.get(r.room_id) ?? [];
      list.push(r.state_key);
      out.set(r.room_id, list);
    }
  }
  return out;
}

const stateEntryQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { roomId: string; type: string; stateKey: string }) =>
  db.selectFrom('syncapi_current_room_state').select(COLUMNS).where('room_id', '=', p.roomId).where('type', '=', p.type).where('state_key', '=', p.stateKey),
);

/** One entry of a room's current state (a user's membership, the history visibility), if any. */
export async function selectStateEntry(t: SyncDb, roomId: string, type: string, stateKey: string): Promise<SyncStateEntry | undefined> {
  const r = await stateEntryQuery.first(t, { roomId, type, stateKey });
  return r === undefined ? undefined : toEntry(r);
}
