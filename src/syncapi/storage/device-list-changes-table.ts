/**
 * Queries on `syncapi_device_list_changes`, the `device_list` stream: one row per change of a
 * user's device list or cross-signing keys, ours (the userapi's `OutputKeyChangeEvent`) or
 * another server's (the federationapi's `OutputRemoteKeyChangeEvent`). `id` is the position;
 * `change_key` names the change on its topic so a redelivered one is logged once. Who may see a
 * change is decided when reading, from the current room state: users sharing a joined room.
 */
import type { SyncDb } from './sync-db.js';
import { chunkSize, inChunks } from './sync-db.js';

/** Logs a change; its position, or undefined when `changeKey` was logged before. */
export async function insertDeviceListChange(t: SyncDb, userId: string, changeKey: string): Promise<number | undefined> {
  const row = await t.db
    .insertInto('syncapi_device_list_changes')
    .values({ user_id: userId, change_key: changeKey })
    .onConflict((oc) => oc.column('change_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/** The latest position, 0 when none. */
export async function selectLatestDeviceListPosition(t: SyncDb): Promise<number> {
  const r = await t.db.selectFrom('syncapi_device_list_changes').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  return r?.max === null || r?.max === undefined ? 0 : Number(r.max);
}

/** The users changed in `(after, upTo]` who are `userId` or share a joined room with them now, sorted. */
export async function selectDeviceListChangesFor(t: SyncDb, userId: string, after: number, upTo: number): Promise<string[]> {
  const rows = await t.db
    .selectFrom('syncapi_device_list_changes as k')
    .select('k.user_id')
    .distinct()
    .where('k.id', '>', after)
    .where('k.id', '<=', upTo)
    .where((eb) =>
      eb.or([
        eb('k.user_id', '=', userId),
        eb.exists(
          eb
            .selectFrom('syncapi_current_room_state as a')
            .innerJoin('syncapi_current_room_state as b', 'b.room_id', 'a.room_id')
            .select('a.room_id')
            .where('a.type', '=', 'm.room.member')
            .where('a.state_key', '=', userId)
            .where('a.membership', '=', 'join')
            .where('b.type', '=', 'm.room.member')
            .whereRef('b.state_key', '=', 'k.user_id')
            .where('b.membership', '=', 'join'),
        ),
      ]),
    )
    .orderBy('k.user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Those of `candidates` sharing a joined room with `userId` now. */
export async function selectUsersSharingRooms(t: SyncDb, userId: string, candidates: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of inChunks([...new Set(candidates)], chunkSize(t.caps, 1) - 1)) {
    const rows = await t.db
      .selectFrom('syncapi_current_room_state as a')
      .innerJoin('syncapi_current_room_state as b', 'b.room_id', 'a.room_id')
      .select('b.state_key')
      .distinct()
      .where('a.type', '=', 'm.room.member')
      .where('a.state_key', '=', userId)
      .where('a.membership', '=', 'join')
      .where('b.type', '=', 'm.room.member')
      .where('b.membership', '=', 'join')
      .where('b.state_key', 'in', chunk)
      .execute();
    for (const r of rows) out.add(r.state_key);
  }
  return out;
}

/** The joined members of `roomIds` now. */
export async function selectJoinedMembersOf(t: SyncDb, roomIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of inChunks([...roomIds], chunkSize(t.caps, 1))) {
    const rows = await t.db
      .selectFrom('syncapi_current_room_state')
      .select('state_key')
      .distinct()
      .where('room_id', 'in', chunk)
      .where('type', '=', 'm.room.member')
      .where('membership', '=', 'join')
      .execute();
    for (const r of rows) out.add(r.state_key);
  }
  return out;
}
