/**
 * The roomserver's storage: the room DAG (events, edges), deduplicated state snapshots, rooms'
 * heads, membership, aliases, the directory, invites and redactions — the same code on SQLite
 * and PostgreSQL. Internally everything is keyed by NIDs; only Matrix IDs and plain data cross
 * this interface, and the write path persists an event in one transaction ({@link RoomserverStorage.storeEvent}).
 */
import type { BusMessage, Outbox } from '../../internal/bus/bus.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import { runMigrations } from '../../internal/sqlutil/run-migrations.js';
import { loadAuthChain } from './auth-chain.js';
import { selectBackwardExtremities } from './backward-extremities.js';
import { selectEventByTimestamp, type EventAtTime } from './event-by-timestamp.js';
import { selectEventRefs, selectEvents, type StoredEvent } from './events-table.js';
import * as invites from './invites-table.js';
import type { StoredInvite } from './invites-table.js';
import { selectLatestJoinDepth } from './latest-join-depth.js';
import { loadState, type StateFilter } from './load-state.js';
import { loadStatesBefore } from './load-states-before.js';
import * as membership from './membership-table.js';
import type { StoredMembership } from './membership-table.js';
import type { HeadUpdate, MembershipChange, RetiredInvites } from './move-room-head.js';
import * as published from './published-table.js';
import type { DirectoryList } from './published-table.js';
import * as redactions from './redactions-table.js';
import type { StoredRedaction } from './redactions-table.js';
import * as aliases from './room-aliases-table.js';
import { ROOMSERVER_MIGRATIONS } from './roomserver-migrations.js';
import type { RoomserverTables } from './roomserver-tables.js';
import { roomHead } from './rooms-table.js';
import { selectRoomListing, type RoomListingRow } from './room-listing.js';
import type { StateBase, StateInput, StatePoint } from './state-input.js';
import { createNidCaches, inTransaction, rootContext } from './storage-context.js';
import { storeEvent, type EventToStore, type StoreEventResult } from './store-event.js';
import { storeOutliers } from './store-outliers.js';
import { countStateRows, type StateStorageStats } from './state-storage-stats.js';
import { selectTransactionEventId, type SendTransaction } from './transactions-table.js';

export type { DirectoryList, EventToStore, HeadUpdate, MembershipChange, RetiredInvites, SendTransaction, StateBase, StateFilter, StateInput, StatePoint, StateStorageStats };
export type { StoredEvent, StoredInvite, StoredMembership, StoredRedaction, StoreEventResult };
export type { EventAtTime };
export type { RoomListingRow };

/** A room as the roomserver knows it. */
export interface RoomInfo {
  readonly roomId: string;
  readonly roomVersion: string;
  /** false while the room has no current state (only invites or outliers so far). */
  readonly hasState: boolean;
  /** The latest events, in the order they became extremities. */
  readonly forwardExtremities: readonly string[];
  /** Incremented by every event that moved the room's head. */
  readonly lastStreamPosition: number;
}

export interface RoomserverStorage {
  // ---- events and the DAG
  /** Persists an event (and, with `updateHead`, the room's new head) in one transaction. */
  storeEvent(input: EventToStore): Promise<StoreEventResult>;
  /** Stores many events as outliers in one transaction (a join's state and auth chain); how many were new. */
  storeOutliers(events: readonly RoomEvent[]): Promise<number>;
  /** The stored events among `eventIds`, in the order asked (unknown ones left out). */
  getEvents(eventIds: readonly string[]): Promise<StoredEvent[]>;
  /** Those of `eventIds` not stored at all (neither with state nor as outliers). */
  getMissingEventIds(eventIds: readonly string[]): Promise<string[]>;
  /** The stored auth chain of `eventIds`, by depth then ID. */
  getAuthChain(eventIds: readonly string[]): Promise<StoredEvent[]>;
  /**
   * Up to `max` of the room's earliest events in the DAG with a prev event not in it (unknown or
   * an outlier): where backfill continues. Shallowest first (`backward-extremities.ts`).
   */
  getBackwardExtremities(roomId: string, max: number): Promise<string[]>;

  // ---- rooms and state
  getRoomInfo(roomId: string): Promise<RoomInfo | undefined>;
  /** Every room with current state, its version and joined counts (local ones: of `localServer`), by room ID. */
  /** Every room with current state and its sizes, or only `roomId`. */
  getRoomListing(localServer: string, roomId?: string): Promise<RoomListingRow[]>;
  /**
   * The state at `point` (`stateMapKey(type, state_key)` → event ID), whole or filtered; undefined
   * when the room or event is unknown or the event is an outlier.
   */
  getState(point: StatePoint, filter?: StateFilter): Promise<Map<string, string> | undefined>;
  /** The events of {@link getState}, in no particular order. */
  getStateEvents(point: StatePoint, filter?: StateFilter): Promise<StoredEvent[] | undefined>;
  /** Row counts of the state tables (metrics and the dedupe test). */
  getStateStorageStats(): Promise<StateStorageStats>;

  // ---- history (visibility, timestamp_to_event)
  /**
   * The filtered states before each of `eventIds` (event ID → state map); unknown events and
   * outliers are absent. Events sharing a snapshot share one read.
   */
  getStatesBefore(eventIds: readonly string[], filter: StateFilter): Promise<Map<string, ReadonlyMap<string, string>>>;
  /** The depth of the user's deepest join event in the room (not rejected or soft-failed); undefined when none. */
  getLatestJoinDepth(roomId: string, userId: string): Promise<number | undefined>;
  /**
   * The first timeline event at or after `ts` (`f`) or the last at or before it (`b`), skipping
   * outliers, rejected and soft-failed events; undefined when none.
   */
  getEventByTimestamp(roomId: string, ts: number, dir: 'f' | 'b'): Promise<EventAtTime | undefined>;

  // ---- membership (the current state's, kept in step by storeEvent)
  /** The rooms where the user's current membership is `membership`, sorted. */
  getRoomsForUser(userId: string, membership: string): Promise<string[]>;
  /** The users whose current membership in the room is `membership` (default `join`), sorted. */
  getMembers(roomId: string, membership?: string): Promise<string[]>;
  getMembership(roomId: string, userId: string): Promise<StoredMembership | undefined>;
  /** The servers of the room's joined users, sorted. */
  getJoinedServers(roomId: string): Promise<string[]>;

  // ---- aliases
  /** false when the alias exists. */
  setRoomAlias(alias: string, roomId: string, creatorId: string): Promise<boolean>;
  getRoomAlias(alias: string): Promise<{ roomId: string; creatorId: string } | undefined>;
  getAliasesForRoom(roomId: string): Promise<string[]>;
  /** false when the alias did not exist. */
  removeRoomAlias(alias: string): Promise<boolean>;

  // ---- directory
  setRoomPublished(roomId: string, published: boolean, list?: DirectoryList): Promise<void>;
  isRoomPublished(roomId: string, list?: DirectoryList): Promise<boolean>;
  /** Published rooms of `list`, or of every list when absent, sorted. */
  getPublishedRooms(list?: DirectoryList): Promise<string[]>;

  // ---- invites
  /** Stores a pending invite (storeEvent retires it when the invitee's membership moves on). */
  addInvite(invite: StoredInvite): Promise<void>;
  /** Retires the user's pending invites to the room (e.g. a rejection over federation); their IDs. */
  retireInvites(roomId: string, userId: string): Promise<string[]>;
  getPendingInvites(userId: string, roomId?: string): Promise<StoredInvite[]>;

  // ---- redactions
  addRedaction(redactionEventId: string, redactsEventId: string): Promise<void>;
  getRedactionsOf(eventId: string): Promise<StoredRedaction[]>;
  /**
   * Marks it validated and swaps the target's JSON for `redactedJson`, queuing `messages` in the
   * same transaction; false (and nothing queued) when either is unknown.
   */
  validateRedaction(redactionEventId: string, redactedJson: string, messages?: readonly BusMessage[]): Promise<boolean>;

  // ---- transaction IDs of local sends
  /** The event a local send with this transaction ID produced (see `EventToStore.transaction`). */
  getTransactionEventId(transaction: SendTransaction): Promise<string | undefined>;
}

export interface RoomserverStorageOptions {
  /** The roomserver's outbox; required only for `storeEvent` calls with `messages`. */
  readonly outbox?: Outbox;
  /** Entries per string ↔ NID cache (default 100,000). */
  readonly nidCacheSize?: number;
  /** State blocks and snapshots cached (default 20,000). */
  readonly blockCacheSize?: number;
}

/** Migrates the roomserver's tables in `database` and returns its storage. */
export async function openRoomserverStorage(database: Database, opts: RoomserverStorageOptions = {}): Promise<RoomserverStorage> {
  await runMigrations(database, 'roomserver', ROOMSERVER_MIGRATIONS);
  return createRoomserverStorage(database, opts);
}

/** The storage over an already-migrated database. */
export function createRoomserverStorage(database: Database, opts: RoomserverStorageOptions = {}): RoomserverStorage {
  const ctx = rootContext(typedDb<RoomserverTables>(database), database.caps, createNidCaches(opts.nidCacheSize ?? 100_000, opts.blockCacheSize ?? 20_000), database.sqlite);
  return {
    storeEvent: (input) => storeEvent(ctx, opts.outbox, input),
    storeOutliers: (events) => storeOutliers(ctx, events),
    async getEvents(eventIds) {
      const byId = new Map((await selectEvents(ctx, eventIds)).map((e) => [e.eventId, e]));
      return eventIds.flatMap((id) => byId.get(id) ?? []);
    },
    async getMissingEventIds(eventIds) {
      const known = await selectEventRefs(ctx, eventIds);
      return [...new Set(eventIds)].filter((id) => !known.has(id));
    },
    getAuthChain: (eventIds) => loadAuthChain(ctx, eventIds),
    getBackwardExtremities: (roomId, max) => selectBackwardExtremities(ctx, roomId, max),

    async getRoomInfo(roomId) {
      const room = await roomHead(ctx, roomId);
      if (!room) return undefined;
      return {
        roomId,
        roomVersion: room.roomVersion,
        hasState: room.snapshotNid !== 0,
        forwardExtremities: room.latestEventIds,
        lastStreamPosition: room.lastStreamPos,
      };
    },
    getRoomListing: (localServer, roomId) => selectRoomListing(ctx, localServer, roomId),
    getState: (point, filter) => loadState(ctx, point, filter),
    async getStateEvents(point, filter) {
      const state = await loadState(ctx, point, filter);
      return state && selectEvents(ctx, state.values());
    },
    getStateStorageStats: () => countStateRows(ctx),
    getStatesBefore: (eventIds, filter) => loadStatesBefore(ctx, eventIds, filter),
    getLatestJoinDepth: (roomId, userId) => selectLatestJoinDepth(ctx, roomId, userId),
    getEventByTimestamp: (roomId, ts, dir) => selectEventByTimestamp(ctx, roomId, ts, dir),

    getRoomsForUser: (userId, m) => membership.selectRoomsForUser(ctx, userId, m),
    getMembers: (roomId, m = 'join') => membership.selectMembers(ctx, roomId, m),
    getMembership: (roomId, userId) => membership.selectMembership(ctx, roomId, userId),
    getJoinedServers: (roomId) => membership.selectJoinedServers(ctx, roomId),

    setRoomAlias: (alias, roomId, creatorId) => aliases.insertAlias(ctx, alias, roomId, creatorId),
    getRoomAlias: (alias) => aliases.selectAlias(ctx, alias),
    getAliasesForRoom: (roomId) => aliases.selectAliasesOfRoom(ctx, roomId),
    removeRoomAlias: (alias) => aliases.deleteAlias(ctx, alias),

    setRoomPublished: (roomId, p, list) => published.upsertPublished(ctx, roomId, p, list),
    isRoomPublished: (roomId, list) => published.selectPublished(ctx, roomId, list),
    getPublishedRooms: (list) => published.selectPublishedRooms(ctx, list),

    addInvite: (invite) => invites.insertInvite(ctx, invite),
    retireInvites: (roomId, userId) => invites.retireInvites(ctx, roomId, userId),
    getPendingInvites: (userId, roomId) => invites.selectPendingInvites(ctx, userId, roomId),

    addRedaction: (redactionId, redactsId) => redactions.insertRedaction(ctx, redactionId, redactsId),
    getRedactionsOf: (eventId) => redactions.selectRedactionsOf(ctx, eventId),
    validateRedaction(redactionId, json, messages) {
      if (messages && messages.length > 0 && !opts.outbox) throw new Error('roomserver storage was opened without the bus outbox; messages cannot be queued');
      return inTransaction(ctx, async (tx, trx) => {
        const done = await redactions.validateRedaction(tx, redactionId, json);
        if (done && messages && messages.length > 0) await opts.outbox!.add(trx, messages);
        return done;
      });
    },

    getTransactionEventId: (t) => selectTransactionEventId(ctx, t),
  };
}
