/**
 * Membership: each user's current membership per room, derived from the room's current state
 * and rewritten in the same transaction as the state, so it never disagrees with it. Users are
 * state-key NIDs (a member event's state key is its target).
 */
import type { StorageContext } from './storage-context.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { chunkSize, inChunks } from '../../internal/sqlutil/in-chunks.js';

/** A membership row to write. */
export interface MembershipRow {
  readonly targetNid: number;
  readonly targetUserId: string;
  readonly membership: string;
  readonly sender: string;
  readonly eventNid: number;
}

/** A user's membership in a room, as the queries return it. */
export interface StoredMembership {
  readonly membership: string;
  readonly sender: string;
  readonly eventId: string;
}

/** Writes (or replaces) the rows of the room. */
export async function upsertMemberships(ctx: StorageContext, roomNid: number, rows: readonly MembershipRow[]): Promise<void> {
  if (rows.length === 0) return;
  // One row per target: a multi-row upsert may not touch the same key twice on PostgreSQL.
  const byTarget = new Map(rows.map((r) => [r.targetNid, r]));
  const values = [...byTarget.values()].map((r) => ({
    room_nid: roomNid,
    target_nid: r.targetNid,
    target_server: domainOf(r.targetUserId) ?? '',
    membership: r.membership,
    sender: r.sender,
    event_nid: r.eventNid,
  }));
  // A big room's join writes every member at once: stay under the engine's bind-parameter limit.
  for (const chunk of inChunks(values, chunkSize(ctx.caps, 6))) {
    await ctx.db
      .insertInto('roomserver_membership')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['room_nid', 'target_nid']).doUpdateSet((eb) => ({
          membership: eb.ref('excluded.membership'),
          sender: eb.ref('excluded.sender'),
          event_nid: eb.ref('excluded.event_nid'),
        })),
      )
      .execute();
  }
}

/** Deletes the rows of `targetNids` in the room (their member event left the current state). */
export async function deleteMemberships(ctx: StorageContext, roomNid: number, targetNids: readonly number[]): Promise<void> {
  if (targetNids.length === 0) return;
  for (const chunk of inChunks(targetNids, chunkSize(ctx.caps))) {
    await ctx.db.deleteFrom('roomserver_membership').where('room_nid', '=', roomNid).where('target_nid', 'in', chunk).execute();
  }
}

/** The room IDs where the user has `membership`, sorted. */
export async function selectRoomsForUser(ctx: StorageContext, userId: string, membership: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('roomserver_membership as m')
    .innerJoin('roomserver_event_state_keys as k', 'k.event_state_key_nid', 'm.target_nid')
    .innerJoin('roomserver_rooms as r', 'r.room_nid', 'm.room_nid')
    .select('r.room_id')
    .where('k.event_state_key', '=', userId)
    .where('m.membership', '=', membership)
    .orderBy('r.room_id')
    .execute();
  return rows.map((r) => r.room_id);
}

/** The users with `membership` in the room, sorted. */
export async function selectMembers(ctx: StorageContext, roomId: string, membership: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('roomserver_membership as m')
    .innerJoin('roomserver_rooms as r', 'r.room_nid', 'm.room_nid')
    .innerJoin('roomserver_event_state_keys as k', 'k.event_state_key_nid', 'm.target_nid')
    .select('k.event_state_key')
    .where('r.room_id', '=', roomId)
    .where('m.membership', '=', membership)
    .orderBy('k.event_state_key')
    .execute();
  return rows.map((r) => r.event_state_key);
}

/** The user's membership in the room, or undefined when none is in its current state. */
export async function selectMembership(ctx: StorageContext, roomId: string, userId: string): Promise<StoredMembership | undefined> {
  const r = await ctx.db
    .selectFrom('roomserver_membership as m')
    .innerJoin('roomserver_rooms as r', 'r.room_nid', 'm.room_nid')
    .innerJoin('roomserver_event_state_keys as k', 'k.event_state_key_nid', 'm.target_nid')
    .innerJoin('roomserver_events as e', 'e.event_nid', 'm.event_nid')
    .select(['m.membership', 'm.sender', 'e.event_id'])
    .where('r.room_id', '=', roomId)
    .where('k.event_state_key', '=', userId)
    .executeTakeFirst();
  return r && { membership: r.membership, sender: r.sender, eventId: r.event_id };
}

/** The servers with at least one joined user in the room, sorted. */
export async function selectJoinedServers(ctx: StorageContext, roomId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('roomserver_membership as m')
    .innerJoin('roomserver_rooms as r', 'r.room_nid', 'm.room_nid')
    .select('m.target_server')
    .distinct()
    .where('r.room_id', '=', roomId)
    .where('m.membership', '=', 'join')
    .orderBy('m.target_server')
    .execute();
  return rows.map((r) => r.target_server);
}
