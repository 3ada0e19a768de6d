/**
 * The syncapi's storage: its own copy of every room's timeline in stream order and of each room's
 * current state, the same code on SQLite and PostgreSQL. Positions are the `pdu` stream of sync
 * tokens; no SQL, transactions or row shapes cross this interface.
 */
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import { runMigrations } from '../../internal/sqlutil/run-migrations.js';
import * as state from './current-room-state-table.js';
import type { StateEntryWrite, SyncStateEntry, UserMembership } from './current-room-state-table.js';
import * as events from './output-room-events-table.js';
import type { MembershipEvent, RoomRange, SyncEvent } from './output-room-events-table.js';
import type { SyncDb } from './sync-db.js';
import { SYNCAPI_MIGRATIONS } from './syncapi-migrations.js';
import type { SyncapiTables } from './syncapi-tables.js';

export type { MembershipEvent, RoomRange, StateEntryWrite, SyncEvent, SyncStateEntry, UserMembership };

/** A new event to store, in the fields sync reads. */
export interface NewSyncEvent {
  readonly roomId: string;
  readonly eventId: string;
  readonly type: string;
  readonly sender: string;
  readonly stateKey: string | null;
  readonly membership: string | null;
  readonly depth: number;
  readonly originServerTs: number;
  /** The client-format event as JSON text. */
  readonly json: string;
  /** An invite's or knock's stripped state as JSON text. */
  readonly strippedState: string | null;
  readonly addsState: readonly string[];
  readonly removesState: readonly string[];
  readonly txnDeviceId: string | null;
  readonly txnId: string | null;
}

/** An event and how it changed its room's current state. */
export interface RoomEventWrite {
  readonly event: NewSyncEvent;
  /** The entries entering the state (the event itself among them when it is a state event). */
  readonly adds: readonly StateEntryWrite[];
  /** Event IDs leaving the state. */
  readonly removes: readonly string[];
  /**
   * The room's whole state after the event, when this component has not seen the room before
   * (it started mid-stream): replaces whatever it had, and `adds`/`removes` are ignored.
   */
  readonly replaceState?: readonly StateEntryWrite[];
}

export interface SyncStorage {
  // ---- writes (the roomserver consumer)
  /**
   * Stores the event and applies its state change in one transaction; its stream position, or
   * undefined when the event was already stored (a redelivery: nothing changes).
   */
  writeRoomEvent(w: RoomEventWrite): Promise<number | undefined>;
  /** Replaces a stored event's JSON (and its current-state copy) by its redacted form; false when unknown. */
  redactEvent(eventId: string, json: string): Promise<boolean>;
  hasEvent(eventId: string): Promise<boolean>;
  /** Whether the room has current state here (it was seen from its creation or read whole). */
  hasRoomState(roomId: string): Promise<boolean>;

  // ---- reads (sync)
  /** The latest stream position, 0 when empty. */
  latestPosition(): Promise<number>;
  /** The stored events among `eventIds`, any order. */
  eventsByIds(eventIds: readonly string[]): Promise<SyncEvent[]>;
  /** The latest `limit` events of each range, oldest first per room (rooms without any left out). */
  recentEvents(ranges: readonly RoomRange[], limit: number): Promise<Map<string, SyncEvent[]>>;
  /** Rooms with events in `(after, upTo]`. */
  activeRooms(after: number, upTo: number): Promise<string[]>;
  /** The events of each range that changed their room's state, oldest first. */
  stateChanges(ranges: readonly RoomRange[]): Promise<SyncEvent[]>;
  /** The member events of `userId` in `(after, upTo]`, oldest first. */
  membershipEvents(userId: string, after: number, upTo: number): Promise<MembershipEvent[]>;
  /** `userId`'s membership in each room at position `at` (rooms where none left out). */
  membershipsAt(userId: string, roomIds: readonly string[], at: number): Promise<Map<string, string>>;
  /** The stripped state of invites and knocks, by event ID (JSON text). */
  strippedState(eventIds: readonly string[]): Promise<Map<string, string>>;
  /** `userId`'s current memberships. */
  userMemberships(userId: string): Promise<UserMembership[]>;
  /** The whole current state of `roomIds`. */
  roomsState(roomIds: readonly string[]): Promise<SyncStateEntry[]>;
  /** The current state entries among `eventIds`. */
  stateByEventIds(eventIds: readonly string[]): Promise<SyncStateEntry[]>;
  /** Every `[roomId, userId]` joined pair (the notifier's start-up load). */
  allJoinedMembers(): Promise<Array<readonly [string, string]>>;
  /** Joined and invited counts per room. */
  memberCounts(roomIds: readonly string[]): Promise<Map<string, { joined: number; invited: number }>>;
  /** The first `limit` members with one of `memberships` per room, but `exceptUserId`, in arrival order. */
  firstMembers(roomIds: readonly string[], memberships: readonly string[], exceptUserId: string, limit: number): Promise<Map<string, string[]>>;
}

/** Migrates the syncapi's tables in `database` and returns its storage. */
export async function openSyncStorage(database: Database): Promise<SyncStorage> {
  await runMigrations(database, 'syncapi', SYNCAPI_MIGRATIONS);
  return createSyncStorage(database);
}

/** The storage over an already-migrated database. */
export function createSyncStorage(database: Database): SyncStorage {
  const root: SyncDb = { db: typedDb<SyncapiTables>(database), caps: database.caps };
  const inTransaction = <T>(body: (t: SyncDb) => Promise<T>): Promise<T> =>
    root.db.transaction().execute((trx) => body({ db: trx, caps: database.caps, sqlite: database.sqlite }));
  return {
    writeRoomEvent: (w) =>
      inTransaction(async (t) => {
        const e = w.event;
        const position = await events.insertEvent(t, {
          room_id: e.roomId,
          event_id: e.eventId,
          type: e.type,
          sender: e.sender,
          state_key: e.stateKey,
          membership: e.membership,
          depth: e.depth,
          origin_server_ts: e.originServerTs,
          json: e.json,
          stripped_state: e.strippedState,
          adds_state: JSON.stringify(e.addsState),
          removes_state: JSON.stringify(e.removesState),
          changes_state: e.addsState.length > 0 || e.removesState.length > 0 ? 1 : 0,
          txn_device_id: e.txnDeviceId,
          txn_id: e.txnId,
        });
        if (position === undefined) return undefined;
        if (w.replaceState) await state.replaceRoomState(t, e.roomId, position, w.replaceState);
        else await state.applyStateDelta(t, e.roomId, position, w.adds, w.removes);
        return position;
      }),
    redactEvent: (eventId, json) =>
      inTransaction(async (t) => {
        if (!(await events.updateRedactedEvent(t, eventId, json))) return false;
        await state.updateRedactedState(t, eventId, json);
        return true;
      }),
    hasEvent: (eventId) => events.hasEvent(root, eventId),
    hasRoomState: (roomId) => state.hasRoomState(root, roomId),
    latestPosition: () => events.selectLatestPosition(root),
    eventsByIds: (ids) => events.selectEventsByIds(root, ids),
    recentEvents: (ranges, limit) => (ranges.length === 0 ? Promise.resolve(new Map()) : events.selectRecentEvents(root, ranges, limit)),
    activeRooms: (after, upTo) => events.selectActiveRooms(root, after, upTo),
    stateChanges: (ranges) => (ranges.length === 0 ? Promise.resolve([]) : events.selectStateChanges(root, ranges)),
    membershipEvents: (userId, after, upTo) => events.selectMembershipEvents(root, userId, after, upTo),
    membershipsAt: (userId, roomIds, at) => (roomIds.length === 0 ? Promise.resolve(new Map()) : events.selectMembershipsAt(root, userId, roomIds, at)),
    strippedState: (ids) => events.selectStrippedState(root, ids),
    userMemberships: (userId) => state.selectUserMemberships(root, userId),
    roomsState: (roomIds) => state.selectRoomsState(root, roomIds),
    stateByEventIds: (ids) => state.selectStateByEventIds(root, ids),
    allJoinedMembers: () => state.selectAllJoinedMembers(root),
    memberCounts: (roomIds) => state.selectMemberCounts(root, roomIds),
    firstMembers: (roomIds, memberships, exceptUserId, limit) =>
      roomIds.length === 0 ? Promise.resolve(new Map()) : state.selectFirstMembers(root, roomIds, memberships, exceptUserId, limit),
  };
}
