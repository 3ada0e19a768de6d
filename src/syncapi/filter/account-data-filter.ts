/**
 * The filter's account-data sections: `account_data` (an `EventFilter`, global account data)
 * and `room.account_data` (a `RoomEventFilter`, per-room account data, after the `RoomFilter`'s
 * own `rooms` / `not_rooms`). Account data has no sender: a `senders` list therefore lets none
 * through and `not_senders` excludes none, as in Synapse.
 *
 * The `limit` is not applied: the account-data stream's position moves past every entry a sync
 * covers, so an entry cut by a limit would never reach the client (Synapse ignores it too).
 */
import { matchesEventFilter } from './event-filter.js';
import type { EventFilter, RoomFilter } from './filter-types.js';
import { roomAllowed } from './room-filter.js';

/** What the account-data filters look at (an `AccountDataEntry` of the userapi fits). */
export interface FilterableAccountData {
  /** null for global account data. */
  readonly roomId: string | null;
  readonly type: string;
}

/** The parts of a `SyncFilter` account data is filtered by. */
export interface AccountDataFilters {
  readonly accountData: EventFilter;
  readonly room: Pick<RoomFilter, 'rooms' | 'notRooms' | 'accountData'>;
}

/** Whether one entry passes: global ones through `accountData`, room ones through the room filters. */
export function matchesAccountDataFilter(entry: FilterableAccountData, filter: AccountDataFilters): boolean {
  if (entry.roomId === null) return matchesEventFilter({ type: entry.type }, filter.accountData);
  return roomAllowed(entry.roomId, filter.room) && matchesEventFilter({ type: entry.type, roomId: entry.roomId }, filter.room.accountData);
}

/** The entries of `entries` that pass, in their order. */
export function filterAccountData<A extends FilterableAccountData>(entries: readonly A[], filter: AccountDataFilters): A[] {
  return entries.filter((e) => matchesAccountDataFilter(e, filter));
}
