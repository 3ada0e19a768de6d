/**
 * The pusher part of the userapi's storage (`UserStorage.pushers`). Deleting devices and
 * deactivating accounts (`storage/index.ts`) delete pushers in their own transactions, through
 * the table functions; these operations are what the pusher routes and the push pipeline use.
 */
import type { Kysely } from 'kysely';
import type { JsonObject } from '../../matrix/json.js';
import type { Pusher } from '../api.js';
import { groupBy } from '../../internal/util/group-by.js';
import * as pushers from './pushers-table.js';
import type { PusherRow } from './pushers-table.js';
import type { UserapiTables } from './userapi-tables.js';

export interface PusherStorage {
  /**
   * Creates or replaces the user's pusher `pusher.appId`/`pusher.pushkey`; unless `append`, in
   * the same transaction deletes other users' pushers with that app ID and pushkey (spec).
   */
  setPusher(localpart: string, pusher: Pusher, append: boolean): Promise<void>;
  /** Deletes the user's pusher `appId`/`pushkey`; false if there was none. */
  deletePusher(localpart: string, appId: string, pushkey: string): Promise<boolean>;
  /** The user's pushers, oldest set first. */
  getPushers(localpart: string): Promise<Pusher[]>;
  /** The pushers of each of `localparts` that has any (one read for a whole room's notifications). */
  getPushersOf(localparts: readonly string[]): Promise<Map<string, Pusher[]>>;
  /** Deletes the pushers these devices of the user set. */
  deleteDevicePushers(localpart: string, deviceIds: readonly string[]): Promise<void>;
  /** Deletes every pusher of the user. */
  deleteUserPushers(localpart: string): Promise<void>;
}

function toPusher(row: PusherRow): Pusher {
  return {
    pushkey: row.pushkey,
    kind: row.kind as Pusher['kind'],
    appId: row.app_id,
    appDisplayName: row.app_display_name,
    deviceDisplayName: row.device_display_name,
    profileTag: row.profile_tag,
    lang: row.lang,
    data: JSON.parse(row.data) as JsonObject,
    pushkeyTs: Number(row.pushkey_ts),
    deviceId: row.device_id,
  };
}

function toRow(localpart: string, p: Pusher): PusherRow {
  return {
    localpart,
    app_id: p.appId,
    pushkey: p.pushkey,
    kind: p.kind,
    app_display_name: p.appDisplayName,
    device_display_name: p.deviceDisplayName,
    profile_tag: p.profileTag,
    lang: p.lang,
    data: JSON.stringify(p.data),
    pushkey_ts: p.pushkeyTs,
    device_id: p.deviceId,
  };
}

/** The pusher storage over the userapi's tables. */
export function createPusherStorage(db: Kysely<UserapiTables>): PusherStorage {
  return {
    async setPusher(localpart, pusher, append) {
      await db.transaction().execute(async (trx) => {
        await pushers.upsertPusher(trx, toRow(localpart, pusher));
        if (!append) await pushers.deleteOtherUsersPushers(trx, localpart, pusher.appId, pusher.pushkey);
      });
    },
    deletePusher: (localpart, appId, pushkey) => pushers.deletePusher(db, localpart, appId, pushkey),
    getPushers: async (localpart) => (await pushers.selectPushers(db, localpart)).map(toPusher),
    async getPushersOf(localparts) {
      const rows = groupBy(await pushers.selectPushersOf(db, localparts), (row) => row.localpart);
      return new Map([...rows].map(([localpart, list]) => [localpart, list.map(toPusher)]));
    },
    deleteDevicePushers: (localpart, deviceIds) => pushers.deleteDevicePushers(db, localpart, deviceIds),
    deleteUserPushers: (localpart) => pushers.deleteUserPushers(db, localpart),
  };
}
