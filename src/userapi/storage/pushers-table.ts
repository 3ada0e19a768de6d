/**
 * `userapi_pushers`: where a user's notifications are pushed. One row per (user, app ID, pushkey),
 * the spec's identity of a pusher; the device that set it is kept so the pusher goes when that
 * device does. `data` is the client's JSON object as text, forwarded to the gateway minus `url`.
 */
import type { Kysely, Selectable } from 'kysely';
import { inChunks } from '../../internal/sqlutil/in-chunks.js';
import type { UserapiTables } from './userapi-tables.js';

export interface PushersTable {
  localpart: string;
  app_id: string;
  pushkey: string;
  kind: string;
  app_display_name: string;
  device_display_name: string;
  profile_tag: string | null;
  lang: string;
  /** JSON object. */
  data: string;
  /** When it was last set, ms since the epoch. */
  pushkey_ts: number;
  device_id: string | null;
}

/** A pusher row; `data` still JSON text. */
export type PusherRow = Selectable<PushersTable>;

type Db = Kysely<UserapiTables>;

/** Users per `IN` list: bound parameters stay far below every engine's limit. */
const PUSHER_USERS_PER_QUERY = 500;

/** Creates or replaces the user's pusher `app_id`/`pushkey`. */
export async function upsertPusher(db: Db, row: PusherRow): Promise<void> {
  const { localpart: _l, app_id: _a, pushkey: _p, ...rest } = row;
  await db
    .insertInto('userapi_pushers')
    .values(row)
    .onConflict((oc) => oc.columns(['localpart', 'app_id', 'pushkey']).doUpdateSet(rest))
    .execute();
}

/** Deletes the user's pusher `appId`/`pushkey`; false if there was none. */
export async function deletePusher(db: Db, localpart: string, appId: string, pushkey: string): Promise<boolean> {
  const res = await db
    .deleteFrom('userapi_pushers')
    .where('localpart', '=', localpart)
    .where('app_id', '=', appId)
    .where('pushkey', '=', pushkey)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Deletes the pushers with this app ID and pushkey of every user but `localpart` (`append: false`). */
export async function deleteOtherUsersPushers(db: Db, localpart: string, appId: string, pushkey: string): Promise<void> {
  await db
    .deleteFrom('userapi_pushers')
    .where('app_id', '=', appId)
    .where('pushkey', '=', pushkey)
    .where('localpart', '!=', localpart)
    .execute();
}

/** The user's pushers, oldest set first. */
export async function selectPushers(db: Db, localpart: string): Promise<PusherRow[]> {
  return db
    .selectFrom('userapi_pushers')
    .selectAll()
    .where('localpart', '=', localpart)
    .orderBy('pushkey_ts')
    .orderBy('app_id')
    .orderBy('pushkey')
    .execute();
}

/** The pushers of each of `localparts` that has any, each list oldest set first. */
export async function selectPushersOf(db: Db, localparts: readonly string[]): Promise<PusherRow[]> {
  const rows: PusherRow[] = [];
  for (const part of inChunks(localparts, PUSHER_USERS_PER_QUERY)) {
    rows.push(
      ...(await db
        .selectFrom('userapi_pushers')
        .selectAll()
        .where('localpart', 'in', part)
        .orderBy('localpart')
        .orderBy('pushkey_ts')
        .orderBy('app_id')
        .orderBy('pushkey')
        .execute()),
    );
  }
  return rows;
}

/** Deletes the pushers these devices set. */
export async function deleteDevicePushers(db: Db, localpart: string, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await db.deleteFrom('userapi_pushers').where('localpart', '=', localpart).where('device_id', 'in', deviceIds).execute();
}

/** Deletes every pusher of the user (deactivation). */
export async function deleteUserPushers(db: Db, localpart: string): Promise<void> {
  await db.deleteFrom('userapi_pushers').where('localpart', '=', localpart).execute();
}
