/**
 * Writing the user directory's tables. Room changes come from the roomserver's output stream and
 * carry its per-room stream position: a change is applied only when it is newer than the last one
 * applied to that room, in the same transaction that moves the room's position, so a redelivered
 * message changes nothing. Remote users' profiles are dropped once they are in no known room.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { directorySortName, localSearchText, localpartOfUserId, remoteSearchText } from './directory-search-text.js';
import type { UserapiTables } from './userapi-tables.js';

/** A user joined to a room, with the profile their member event shows. */
export interface DirectoryMember {
  /** The member event's state key. */
  readonly userId: string;
  /** Set for this server's users (their global profile is shown instead of the event's). */
  readonly localpart: string | null;
  /** The member event's `displayname`, if a string. */
  readonly displayName: string | null;
  /** The member event's `avatar_url`, if a string. */
  readonly avatarUrl: string | null;
}

/** What changed in one room. */
export interface DirectoryRoomChange {
  /** The room that changed. */
  readonly roomId: string;
  /**
   * The roomserver stream position of the change: applied only when past the room's stored one.
   * Absent for changes outside the stream's order (a redaction), applied whenever the room is known.
   */
  readonly streamPosition?: number;
  /** The new join rule (null: none any more); unchanged when absent. */
  readonly joinRule?: string | null;
  /** The new history visibility (null: none any more); unchanged when absent. */
  readonly historyVisibility?: string | null;
  /** Users now joined (or joined with a new profile). */
  readonly joined?: readonly DirectoryMember[];
  /** Users no longer joined. */
  readonly left?: readonly string[];
}

/** `stale`: the room already had this position or a later one; `unknown-room`: never seen (rebuild it). */
export type DirectoryChangeOutcome = 'applied' | 'stale' | 'unknown-room';

/** Everything the directory keeps of a room, as of `streamPosition`. */
export interface DirectoryRoomSnapshot {
  readonly roomId: string;
  readonly streamPosition: number;
  readonly joinRule: string | null;
  readonly historyVisibility: string | null;
  readonly members: readonly DirectoryMember[];
}

/** Rows per multi-row statement (at most 5 parameters each: far below both engines' limits). */
const CHUNK = 500;

type Db = Kysely<UserapiTables>;

/** Applies `change` if it is newer than what the room has (see {@link DirectoryChangeOutcome}). */
export async function applyRoomChange(db: Db, change: DirectoryRoomChange): Promise<DirectoryChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    const rules = {
      ...(change.joinRule !== undefined ? { join_rule: change.joinRule } : {}),
      ...(change.historyVisibility !== undefined ? { history_visibility: change.historyVisibility } : {}),
    };
    // Moving the position first is the compare-and-set (on PostgreSQL it also locks the row); a
    // change without a position still updates the row, to learn whether the room is known.
    const pos = change.streamPosition;
    let q = trx
      .updateTable('userapi_directory_rooms')
      .set({ ...rules, stream_pos: pos ?? sql<number>`stream_pos` })
      .where('room_id', '=', change.roomId);
    if (pos !== undefined) q = q.where('stream_pos', '<', pos);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      const known = await trx.selectFrom('userapi_directory_rooms').select('room_id').where('room_id', '=', change.roomId).executeTakeFirst();
      return known ? 'stale' : 'unknown-room';
    }
    await removeMembers(trx, change.roomId, change.left ?? []);
    await addMembers(trx, change.roomId, change.joined ?? []);
    return 'applied';
  });
}

/** Replaces what is known of the room by `snapshot`, unless the room is already at or past its position. */
export async function replaceRoom(db: Db, snapshot: DirectoryRoomSnapshot): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = {
      room_id: snapshot.roomId,
      join_rule: snapshot.joinRule,
      history_visibility: snapshot.historyVisibility,
      stream_pos: snapshot.streamPosition,
    };
    const res = await trx
      .insertInto('userapi_directory_rooms')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('room_id')
          .doUpdateSet({ join_rule: row.join_rule, history_visibility: row.history_visibility, stream_pos: row.stream_pos })
          .where('userapi_directory_rooms.stream_pos', '<', row.stream_pos),
      )
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    const before = await trx.selectFrom('userapi_directory_room_members').select('user_id').where('room_id', '=', snapshot.roomId).execute();
    const now = new Set(snapshot.members.map((m) => m.userId));
    await removeMembers(trx, snapshot.roomId, before.map((r) => r.user_id).filter((u) => !now.has(u)));
    await addMembers(trx, snapshot.roomId, snapshot.members);
    return true;
  });
}

/** Stores (or refreshes) a local user's searchable words from their profile's display name. */
export async function upsertLocalUser(db: Db, localpart: string, displayName: string | null): Promise<void> {
  const row = { localpart, search_text: localSearchText(localpart, displayName), sort_name: directorySortName(localpart, displayName) };
  await db
    .insertInto('userapi_directory_local_users')
    .values(row)
    .onConflict((oc) => oc.column('localpart').doUpdateSet({ search_text: row.search_text, sort_name: row.sort_name }))
    .execute();
}

/** Forgets a local user's searchable words (their profile was erased). */
export async function deleteLocalUser(db: Db, localpart: string): Promise<void> {
  await db.deleteFrom('userapi_directory_local_users').where('localpart', '=', localpart).execute();
}

/** The room's stored stream position, or undefined when the directory never saw the room. */
export async function selectRoomPosition(db: Db, roomId: string): Promise<number | undefined> {
  const row = await db.selectFrom('userapi_directory_rooms').select('stream_pos').where('room_id', '=', roomId).executeTakeFirst();
  return row === undefined ? undefined : Number(row.stream_pos);
}

async function addMembers(trx: Transaction<UserapiTables>, roomId: string, members: readonly DirectoryMember[]): Promise<void> {
  const unique = [...new Map(members.map((m) => [m.userId, m])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = unique.slice(i, i + CHUNK).map((m) => ({ room_id: roomId, user_id: m.userId, localpart: m.localpart }));
    await trx.insertInto('userapi_directory_room_members').values(rows).onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing()).execute();
  }
  const remote = unique.filter((m) => m.localpart === null);
  for (let i = 0; i < remote.length; i += CHUNK) {
    const rows = remote.slice(i, i + CHUNK).map((m) => ({
      user_id: m.userId,
      display_name: m.displayName,
      avatar_url: m.avatarUrl,
      search_text: remoteSearchText(m.userId, m.displayName),
      sort_name: directorySortName(localpartOfUserId(m.userId), m.displayName),
    }));
    await trx
      .insertInto('userapi_directory_remote_users')
      .values(rows)
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({
          display_name: eb.ref('excluded.display_name'),
          avatar_url: eb.ref('excluded.avatar_url'),
          search_text: eb.ref('excluded.search_text'),
          sort_name: eb.ref('excluded.sort_name'),
        })),
      )
      .execute();
  }
}

async function removeMembers(trx: Transaction<UserapiTables>, roomId: string, userIds: readonly string[]): Promise<void> {
  for (let i = 0; i < userIds.length; i += CHUNK) {
    const chunk = userIds.slice(i, i + CHUNK);
    await trx.deleteFrom('userapi_directory_room_members').where('room_id', '=', roomId).where('user_id', 'in', chunk).execute();
    // A remote user in no known room any more is nobody's to find: drop their profile.
    await trx
      .deleteFrom('userapi_directory_remote_users')
      .where('user_id', 'in', chunk)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('userapi_directory_room_members as m')
              .select(sql.lit(1).as('one'))
              .whereRef('m.user_id', '=', 'userapi_directory_remote_users.user_id'),
          ),
        ),
      )
      .execute();
  }
}
