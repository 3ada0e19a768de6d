/**
 * Rooms a user forgot (`POST /rooms/{roomId}/forget`). A row names the membership event the user
 * forgot the room at, so a later membership (a rejoin, a new invite) un-forgets the room without
 * the send path having to clear anything: the room counts as forgotten only while the user's
 * current membership event is still the one recorded.
 */
import type { Kysely } from 'kysely';

export interface ForgottenTable {
  user_id: string;
  room_id: string;
  /** The user's membership event (a leave or a ban) when they forgot the room. */
  membership_event_id: string;
  forgotten_ts: number;
}

/** The table as Kysely sees it. */
export interface ForgottenTables {
  roomserver_forgotten: ForgottenTable;
}

/** Records (or moves to a newer membership event) that the user forgot the room. */
export async function upsertForgotten(db: Kysely<ForgottenTables>, userId: string, roomId: string, membershipEventId: string, ts: number): Promise<void> {
  await db
    .insertInto('roomserver_forgotten')
    .values({ user_id: userId, room_id: roomId, membership_event_id: membershipEventId, forgotten_ts: ts })
    .onConflict((oc) => oc.columns(['user_id', 'room_id']).doUpdateSet({ membership_event_id: membershipEventId, forgotten_ts: ts }))
    .execute();
}

/** The membership event each of the user's forgotten rooms was forgotten at, by room ID. */
export async function selectForgotten(db: Kysely<ForgottenTables>, userId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('roomserver_forgotten').select(['room_id', 'membership_event_id']).where('user_id', '=', userId).execute();
  return new Map(rows.map((r) => [r.room_id, r.membership_event_id]));
}
