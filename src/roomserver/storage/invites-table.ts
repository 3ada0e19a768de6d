/**
 * Pending invites, kept apart from room state because we may be invited (over federation) to a
 * room we hold nothing else of: the invite event and its stripped state are all a client sees.
 * An invite is retired once the user's membership moves on (join, leave, ban…).
 */
import type { JsonObject } from '../../matrix/json.js';
import { chunkSize, inChunks } from '../../internal/sqlutil/in-chunks.js';
import type { StorageContext } from './storage-context.js';

/** A pending invite. */
export interface StoredInvite {
  readonly inviteEventId: string;
  readonly roomId: string;
  readonly targetUserId: string;
  readonly sender: string;
  /** The invite PDU as stored. */
  readonly eventJson: string;
  /** The stripped state events to show with it (`invite_room_state`), empty when none. */
  readonly strippedState: readonly JsonObject[];
}

/** Stores a pending invite (once per invite event). */
export async function insertInvite(ctx: StorageContext, invite: StoredInvite): Promise<void> {
  await ctx.db
    .insertInto('roomserver_invites')
    .values({
      invite_event_id: invite.inviteEventId,
      room_id: invite.roomId,
      target_user_id: invite.targetUserId,
      sender: invite.sender,
      stripped_state: JSON.stringify(invite.strippedState),
      event_json: invite.eventJson,
      retired: 0,
    })
    .onConflict((oc) => oc.column('invite_event_id').doNothing())
    .execute();
}

/** Retires the user's pending invites to the room; the invite event IDs retired. */
export async function retireInvites(ctx: StorageContext, roomId: string, userId: string): Promise<string[]> {
  const rows = await ctx.db
    .updateTable('roomserver_invites')
    .set({ retired: 1 })
    .where('room_id', '=', roomId)
    .where('target_user_id', '=', userId)
    .where('retired', '=', 0)
    .returning('invite_event_id')
    .execute();
  return rows.map((r) => r.invite_event_id).sort();
}

/**
 * {@link retireInvites} for many users of one room at once (a join that brings in a whole
 * member list): one read finds the few with pending invites, only those are updated.
 */
export async function retireInvitesOfUsers(ctx: StorageContext, roomId: string, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const pending = new Set<string>();
  for (const chunk of inChunks([...new Set(userIds)], chunkSize(ctx.caps))) {
    const rows = await ctx.db
      .selectFrom('roomserver_invites')
      .select('target_user_id')
      .where('room_id', '=', roomId)
      .where('retired', '=', 0)
      .where('target_user_id', 'in', chunk)
      .execute();
    for (const r of rows) pending.add(r.target_user_id);
  }
  const out = new Map<string, string[]>();
  for (const userId of [...pending].sort()) out.set(userId, await retireInvites(ctx, roomId, userId));
  return out;
}

/** The user's pending invites (all rooms, or one), oldest stored first. */
export async function selectPendingInvites(ctx: StorageContext, userId: string, roomId?: string): Promise<StoredInvite[]> {
  const rows = await ctx.db
    .selectFrom('roomserver_invites')
    .selectAll()
    .where('target_user_id', '=', userId)
    .where('retired', '=', 0)
    .$if(roomId !== undefined, (q) => q.where('room_id', '=', roomId!))
    .orderBy('room_id')
    .orderBy('invite_event_id')
    .execute();
  return rows.map((r) => ({
    inviteEventId: r.invite_event_id,
    roomId: r.room_id,
    targetUserId: r.target_user_id,
    sender: r.sender,
    eventJson: r.event_json,
    strippedState: r.stripped_state === null ? [] : (JSON.parse(r.stripped_state) as JsonObject[]),
  }));
}
