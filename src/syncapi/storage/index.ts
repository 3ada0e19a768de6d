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
import * as receipts from './receipts-table.js';
import type { ReceiptWrite, SyncReceipt } from './receipts-table.js';
import * as presence from './presence-table.js';
import type { PresenceWrite, SyncPresence } from './presence-table.js';
import * as topology from './output-room-events-topology.js';
import type { TopologicalPoint, TopologicalRange } from './output-room-events-topology.js';
import * as sentMembers from './sent-members-table.js';
import type { SentMember } from './sent-members-table.js';
import * as membershipsAtEach from './output-room-events-memberships.js';
import { selectEarliestEvents } from './output-room-events-earliest.js';
import { insertHistoricalEvent } from './output-room-events-historical.js';
import type { NewEventRow } from './output-room-events-table.js';
import type { RoomPoint } from './output-room-events-memberships.js';
import type { EventRelation } from '../relations/relation-of.js';
import * as relations from './relations-table.js';
import type { RelationBound, RelationsPageQuery } from './relations-table.js';
import { selectRelationSummaries, type RelationParent, type RelationSummary } from './relation-summaries.js';
import { selectThreadsPage, type ThreadRoot, type ThreadsPageQuery } from './threads-table.js';
import * as search from './search-table.js';
import type { SearchHit, SearchMatch, SearchPageQuery, SearchRoomBound } from './search-table.js';
import { createSearchIndexer } from './search-indexer.js';
import { selectUserMemberChanges, type MemberChange } from './user-member-changes.js';
import * as toDevice from './send-to-device-table.js';
import type { ToDeviceMessage, ToDeviceWrite } from './send-to-device-table.js';
import * as deviceLists from './device-list-changes-table.js';
import * as notificationData from './notification-data-table.js';
import type { NotificationCountsWrite, SyncNotificationCounts, ThreadSplit, TimelineCounts } from './notification-data-table.js';

export type { MembershipEvent, RoomRange, StateEntryWrite, SyncEvent, SyncStateEntry, UserMembership };
export type { PresenceWrite, ReceiptWrite, SyncPresence, SyncReceipt };
export type { TopologicalPoint, TopologicalRange };
export type { RoomPoint, SentMember };
export type { EventRelation, RelationBound, RelationParent, RelationSummary, RelationsPageQuery, ThreadRoot, ThreadsPageQuery };
export type { SearchHit, SearchMatch, SearchPageQuery, SearchRoomBound };
export type { MemberChange };
export type { ToDeviceMessage, ToDeviceWrite };
export type { NotificationCountsWrite, SyncNotificationCounts, ThreadSplit, TimelineCounts };

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
  /** The relation the event declares (`relations/relation-of.ts`), stored with it. */
  readonly relation?: EventRelation;
  /** The event's searchable words (`search/searchable-text.ts` `searchIndexText`), indexed with it. */
  readonly searchText?: string;
}

/** An old event fetched by backfill (see {@link SyncStorage.writeHistoricalEvents}). */
export interface HistoricalEventWrite {
  /** Its state lists are empty: an old event changes no current state. */
  readonly event: NewSyncEvent;
  readonly relation?: EventRelation;
  readonly searchText?: string;
}

export interface SyncStorage {
  // ---- writes (the roomserver consumer)
  /**
   * Stores old events (backfill) in one transaction at positions below zero, so they take their
   * topological place in `/messages` but no sync range ever returns them as new
   * (`output-room-events-historical.ts`); current state is untouched. How many were new.
   */
  writeHistoricalEvents(events: readonly HistoricalEventWrite[]): Promise<number>;
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
  /** The first `limit` events of each range, all together in stream order (the legacy `/events` stream). */
  earliestEvents(ranges: readonly RoomRange[], limit: number): Promise<SyncEvent[]>;
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

  // ---- receipts (the `receipt` stream)
  /**
   * Replaces the user's receipt of its type and thread in the room; its new position, or
   * undefined when nothing changed (the same event again, or an older receipt).
   */
  writeReceipt(r: ReceiptWrite): Promise<number | undefined>;
  /** The latest `receipt` position, 0 when there is none. */
  latestReceiptPosition(): Promise<number>;
  /** The receipts of `roomIds` positioned in `(after, upTo]` (`after` 0: each room's latest), by position. */
  receipts(roomIds: readonly string[], after: number, upTo: number): Promise<SyncReceipt[]>;

  // ---- presence (the `presence` stream)
  /** Replaces the user's presence; its new position, or undefined when the stored one is as new. */
  writePresence(p: PresenceWrite): Promise<number | undefined>;
  /** The latest `presence` position, 0 when there is none. */
  latestPresencePosition(): Promise<number>;
  /** The user's stored presence, if any. */
  presenceOf(userId: string): Promise<SyncPresence | undefined>;
  /** The presence in `(after, upTo]` of `userId` and of everyone joined to one of `roomIds`, by position. */
  presenceOfRoomMembers(roomIds: readonly string[], userId: string, after: number, upTo: number): Promise<SyncPresence[]>;

  // ---- room history (`/messages`, `/context`), in topological order
  /** Up to `limit` events of the room's range, oldest first or (`backwards`) newest first. */
  topologicalPage(range: TopologicalRange): Promise<SyncEvent[]>;
  /** The (depth, position) of the room's topologically last event stored at or before `position`. */
  lastEventUpTo(roomId: string, position: number): Promise<TopologicalPoint | undefined>;
  /** Each user's latest member event in the room at or before position `at` (users with none left out). */
  memberEventsAt(roomId: string, userIds: readonly string[], at: number): Promise<Map<string, SyncEvent>>;
  /** One entry of the room's current state, if any. */
  stateEntry(roomId: string, type: string, stateKey: string): Promise<SyncStateEntry | undefined>;

  // ---- filters: lazy-loaded members, `unsigned.membership`
  /** `userId`'s membership in each point's room as of its position, from their member events (rooms with none left out). */
  membershipsAtEach(userId: string, points: readonly RoomPoint[]): Promise<Map<string, string>>;
  /** `userId`'s member events in the room in `[from, to)` of its topological order, after the last one before `from`. */
  userMemberChanges(roomId: string, userId: string, from: TopologicalPoint, to: TopologicalPoint): Promise<MemberChange[]>;
  /** Per room of `roomIds`: member user ID → the member event ID lazy-loading syncs last sent the device. */
  sentMembers(userId: string, deviceId: string, roomIds: readonly string[]): Promise<Map<string, ReadonlyMap<string, string>>>;
  /** Records member events as sent to the device (replacing earlier ones of the same room and member). */
  addSentMembers(userId: string, deviceId: string, members: readonly SentMember[]): Promise<void>;
  /** Forgets what was sent to the device (it syncs from scratch). */
  clearSentMembers(userId: string, deviceId: string): Promise<void>;

  // ---- relations (`/relations`, `/threads`, bundled aggregations)
  /** One page of a parent's children, with their events, in topological order. */
  relationsPage(q: RelationsPageQuery): Promise<SyncEvent[]>;
  /**
   * What the bundled aggregations of `parents` need (parents without bundled children left out);
   * with `before`, children at or after that topological point do not count.
   */
  relationSummaries(parents: readonly RelationParent[], userId: string, ignoredUsers: readonly string[], before?: TopologicalPoint): Promise<Map<string, RelationSummary>>;
  /** One page of a room's threads, latest activity first. */
  threadsPage(q: ThreadsPageQuery): Promise<ThreadRoot[]>;

  // ---- search (`/search`: the full-text index, `search-table.ts`)
  /** One page of the events matching a search, in its order, with their ranks. */
  searchPage(q: SearchPageQuery): Promise<SearchHit[]>;
  /** How many events match a search, before history visibility and the event filter. */
  countSearchMatches(q: SearchMatch): Promise<number>;

  // ---- send-to-device (the `to_device` stream, `send-to-device-table.ts`)
  /** Stores messages for local devices in one transaction; the highest new position, or undefined when none was new. */
  writeToDeviceMessages(messages: readonly ToDeviceWrite[]): Promise<number | undefined>;
  /** The highest `to_device` position stored, 0 when none. */
  latestToDevicePosition(): Promise<number>;
  /** The device's first `limit` messages positioned in `(after, upTo]`, in order. */
  toDeviceMessages(userId: string, deviceId: string, after: number, upTo: number, limit: number): Promise<ToDeviceMessage[]>;
  /** Deletes the device's messages at or before `upTo` (it synced past them); how many. */
  acknowledgeToDeviceMessages(userId: string, deviceId: string, upTo: number): Promise<number>;
  /** Deletes every message waiting for the user's listed devices (they were deleted); how many. */
  deleteToDeviceMessagesOfDevices(userId: string, deviceIds: readonly string[]): Promise<number>;

  // ---- device list changes (the `device_list` stream, `device-list-changes-table.ts`)
  /** Logs a change of `userId`'s keys; its position, or undefined when `changeKey` was logged before. */
  writeDeviceListChange(userId: string, changeKey: string): Promise<number | undefined>;
  /** The latest `device_list` position, 0 when none. */
  latestDeviceListPosition(): Promise<number>;
  /** Users changed in `(after, upTo]` who are `userId` or share a joined room with them now, sorted. */
  deviceListChangesFor(userId: string, after: number, upTo: number): Promise<string[]>;
  /** Those of `candidates` sharing a joined room with `userId` now. */
  usersSharingRooms(userId: string, candidates: readonly string[]): Promise<Set<string>>;
  /** The joined members of `roomIds` now. */
  joinedMembersOf(roomIds: readonly string[]): Promise<Set<string>>;

  // ---- unread notification counts (the `notification_data` stream, `notification-data-table.ts`)
  /**
   * Replaces users' counts in rooms, in one transaction; for each write its new position, or
   * undefined when the stored change is as new.
   */
  writeNotificationCounts(ws: readonly NotificationCountsWrite[]): Promise<(number | undefined)[]>;
  /** The latest `notification_data` position, 0 when none. */
  latestNotificationDataPosition(): Promise<number>;
  /** Every room's stored counts of `userId`, with their positions. */
  notificationCounts(userId: string): Promise<SyncNotificationCounts[]>;
}

/** The timeline row of a new event (its state delta and transaction as given). */
function eventRow(e: NewSyncEvent): NewEventRow {
  return {
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
  };
}

/** The relation and search rows of a stored event, live or historical. */
async function writeEventExtras(t: SyncDb, w: { readonly event: NewSyncEvent; readonly relation?: EventRelation; readonly searchText?: string }, position: number): Promise<void> {
  const e = w.event;
  if (w.relation) {
    await relations.insertRelation(t, { ...w.relation, roomId: e.roomId, eventId: e.eventId, type: e.type, sender: e.sender, position, depth: e.depth, originServerTs: e.originServerTs });
  }
  if (w.searchText !== undefined) await search.insertSearchEntry(t, { position, roomId: e.roomId, type: e.type, sender: e.sender, text: w.searchText });
}

/** Migrates the syncapi's tables in `database` and returns its storage. */
export async function openSyncStorage(database: Database): Promise<SyncStorage> {
  await runMigrations(database, 'syncapi', SYNCAPI_MIGRATIONS);
  return createSyncStorage(database);
}

/** The storage over an already-migrated database. */
export function createSyncStorage(database: Database): SyncStorage {
  // Prepared queries outside a transaction run on the SQLite handle while no transaction holds it.
  const root: SyncDb = { db: typedDb<SyncapiTables>(database), caps: database.caps, sqliteAutocommit: database.sqlite };
  const inTransaction = <T>(body: (t: SyncDb) => Promise<T>): Promise<T> =>
    root.db.transaction().execute((trx) => body({ db: trx, caps: database.caps, sqlite: database.sqlite }));
  // SQLite's full-text index is written in batches after the events' commits (search-indexer.ts).
  const searchIndexer = createSearchIndexer(root);
  const indexedAfter = <T>(written: Promise<T>, searchable: boolean): Promise<T> =>
    searchable ? written.then((r) => (searchIndexer.written(), r)) : written;
  return {
    writeRoomEvent: (w) =>
      indexedAfter(
        inTransaction(async (t) => {
          const e = w.event;
          const position = await events.insertEvent(t, eventRow(e));
          if (position === undefined) return undefined;
          if (w.replaceState) await state.replaceRoomState(t, e.roomId, position, w.replaceState);
          else await state.applyStateDelta(t, e.roomId, position, w.adds, w.removes);
          await writeEventExtras(t, w, position);
          return position;
        }),
        w.searchText !== undefined,
      ),
    writeHistoricalEvents: (list) =>
      indexedAfter(
        inTransaction(async (t) => {
          let stored = 0;
          for (const w of list) {
            const e = w.event;
            // An old event changes no current state and belongs to no local transaction.
            const row = { ...eventRow(e), adds_state: '[]', removes_state: '[]', changes_state: 0, txn_device_id: null, txn_id: null };
            const position = await insertHistoricalEvent(t, row);
            if (position === undefined) continue;
            stored++;
            await writeEventExtras(t, w, position);
          }
          return stored;
        }),
        list.some((w) => w.searchText !== undefined),
      ),
    redactEvent: (eventId, json) =>
      inTransaction(async (t) => {
        if (!(await events.updateRedactedEvent(t, eventId, json))) return false;
        await state.updateRedactedState(t, eventId, json);
        await relations.deleteRelation(t, eventId);
        await search.deleteSearchEntry(t, eventId);
        return true;
      }),
    hasEvent: (eventId) => events.hasEvent(root, eventId),
    hasRoomState: (roomId) => state.hasRoomState(root, roomId),
    latestPosition: () => events.selectLatestPosition(root),
    eventsByIds: (ids) => events.selectEventsByIds(root, ids),
    recentEvents: (ranges, limit) => (ranges.length === 0 ? Promise.resolve(new Map()) : events.selectRecentEvents(root, ranges, limit)),
    earliestEvents: (ranges, limit) => (ranges.length === 0 || limit <= 0 ? Promise.resolve([]) : selectEarliestEvents(root, ranges, limit)),
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
    writeReceipt: (r) => inTransaction((t) => receipts.upsertReceipt(t, r)),
    latestReceiptPosition: () => receipts.selectLatestReceiptPosition(root),
    receipts: (roomIds, after, upTo) => (roomIds.length === 0 || upTo <= after ? Promise.resolve([]) : receipts.selectReceipts(root, roomIds, after, upTo)),
    writePresence: (p) => inTransaction((t) => presence.upsertPresence(t, p)),
    latestPresencePosition: () => presence.selectLatestPresencePosition(root),
    presenceOf: (userId) => presence.selectPresence(root, userId),
    presenceOfRoomMembers: (roomIds, userId, after, upTo) =>
      upTo <= after ? Promise.resolve([]) : presence.selectPresenceOfRoomMembers(root, roomIds, userId, after, upTo),
    topologicalPage: (range) => topology.selectTopologicalPage(root, range),
    lastEventUpTo: (roomId, position) => topology.selectLastEventUpTo(root, roomId, position),
    memberEventsAt: (roomId, userIds, at) => (userIds.length === 0 ? Promise.resolve(new Map()) : topology.selectMemberEventsAt(root, roomId, userIds, at)),
    stateEntry: (roomId, type, stateKey) => state.selectStateEntry(root, roomId, type, stateKey),
    membershipsAtEach: (userId, points) => (points.length === 0 ? Promise.resolve(new Map()) : membershipsAtEach.selectMembershipsAtEach(root, userId, points)),
    userMemberChanges: (roomId, userId, from, to) => selectUserMemberChanges(root, roomId, userId, from, to),
    sentMembers: (userId, deviceId, roomIds) => (roomIds.length === 0 ? Promise.resolve(new Map()) : sentMembers.selectSentMembers(root, userId, deviceId, roomIds)),
    addSentMembers: (userId, deviceId, members) =>
      members.length === 0 ? Promise.resolve() : inTransaction((t) => sentMembers.upsertSentMembers(t, userId, deviceId, members)),
    clearSentMembers: (userId, deviceId) => sentMembers.deleteSentMembers(root, userId, deviceId),
    relationsPage: (q) => relations.selectRelationsPage(root, q),
    relationSummaries: (parents, userId, ignoredUsers, before) =>
      parents.length === 0 ? Promise.resolve(new Map()) : selectRelationSummaries(root, parents, userId, ignoredUsers, before),
    threadsPage: (q) => selectThreadsPage(root, q),
    searchPage: async (q) => (await searchIndexer.flush(), search.selectSearchPage(root, q)),
    countSearchMatches: async (q) => (await searchIndexer.flush(), search.countSearchMatches(root, q)),
    writeToDeviceMessages: (list) => (list.length === 0 ? Promise.resolve(undefined) : inTransaction((t) => toDevice.insertToDeviceMessages(t, list))),
    latestToDevicePosition: () => toDevice.selectLatestToDevicePosition(root),
    toDeviceMessages: (userId, deviceId, after, upTo, limit) =>
      upTo <= after || limit <= 0 ? Promise.resolve([]) : toDevice.selectToDeviceMessages(root, userId, deviceId, after, upTo, limit),
    acknowledgeToDeviceMessages: (userId, deviceId, upTo) => (upTo <= 0 ? Promise.resolve(0) : toDevice.deleteToDeviceMessagesUpTo(root, userId, deviceId, upTo)),
    deleteToDeviceMessagesOfDevices: (userId, deviceIds) => (deviceIds.length === 0 ? Promise.resolve(0) : toDevice.deleteToDeviceMessagesOfDevices(root, userId, deviceIds)),
    writeDeviceListChange: (userId, changeKey) => deviceLists.insertDeviceListChange(root, userId, changeKey),
    latestDeviceListPosition: () => deviceLists.selectLatestDeviceListPosition(root),
    deviceListChangesFor: (userId, after, upTo) => (upTo <= after ? Promise.resolve([]) : deviceLists.selectDeviceListChangesFor(root, userId, after, upTo)),
    usersSharingRooms: (userId, candidates) => (candidates.length === 0 ? Promise.resolve(new Set<string>()) : deviceLists.selectUsersSharingRooms(root, userId, candidates)),
    joinedMembersOf: (roomIds) => (roomIds.length === 0 ? Promise.resolve(new Set<string>()) : deviceLists.selectJoinedMembersOf(root, roomIds)),
    writeNotificationCounts: (ws) => (ws.length === 0 ? Promise.resolve([]) : inTransaction((t) => notificationData.upsertNotificationCounts(t, ws))),
    latestNotificationDataPosition: () => notificationData.selectLatestNotificationDataPosition(root),
    notificationCounts: (userId) => notificationData.selectNotificationCounts(root, userId),
  };
}
