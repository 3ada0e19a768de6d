/**
 * The syncapi's storage with the reads of every `/sync` attempt served from memory (DESIGN §10):
 * a long-poll woken by one message, and the re-check each long-poll makes before it parks,
 * should cost no query. What it keeps:
 *
 * - the latest `pdu`, `receipt` and `presence` positions, read once at start and then moved by
 *   the writes that pass through here;
 * - the newest events (`recent-events-window.ts`), for the rooms active in a range, the user's
 *   member events in it, and rooms' latest events — ranges reaching below the window go to storage;
 * - each syncing user's current memberships (bounded LRU), dropped when a member event of theirs
 *   is written;
 * - per device, the member events lazy-loading sent it (bounded LRU);
 * - which rooms have current state (the consumer asks for every event).
 *
 * This is correct only in the process that writes the syncapi's storage: every write must pass
 * through here, in commit order. The syncapi has exactly one writer, its roomserver consumer,
 * one message at a time (README "Several instances"); a wake-only instance would use the plain
 * storage. Reads racing a write: a cache is filled from a read only if no write that could
 * change the entry happened while the read was in flight (a generation count per cache).
 */
import { boundedCache } from '../../internal/util/bounded-cache.js';
import type { SyncStorage, UserMembership } from './index.js';
import { createRecentEventsWindow } from './recent-events-window.js';
import type { RoomRange, SyncEvent } from './output-room-events-table.js';

/** Sizes of the caches (entries). */
export interface SyncStorageCacheLimits {
  /** Events in the recent-events window. */
  readonly recentEvents: number;
  /** Users whose memberships are kept. */
  readonly users: number;
  /** Devices whose lazy-loading records are kept. */
  readonly devices: number;
  /** Rooms known to have current state. */
  readonly rooms: number;
}

const DEFAULT_LIMITS: SyncStorageCacheLimits = { recentEvents: 2048, users: 5000, devices: 5000, rooms: 50_000 };

type SentByRoom = Map<string, Map<string, string>>;

/** Wraps `inner` (reads its latest positions first: call before the consumers start). */
export async function cachedSyncStorage(inner: SyncStorage, limits: SyncStorageCacheLimits = DEFAULT_LIMITS): Promise<SyncStorage> {
  const window = createRecentEventsWindow(await inner.latestPosition(), limits.recentEvents);
  let receiptPosition = await inner.latestReceiptPosition();
  let presencePosition = await inner.latestPresencePosition();
  const memberships = boundedCache<string, UserMembership[]>(limits.users);
  let membershipGeneration = 0;
  const sent = boundedCache<string, SentByRoom>(limits.devices);
  let sentGeneration = 0;
  const roomsWithState = boundedCache<string, true>(limits.rooms);

  return {
    ...inner,
    async writeRoomEvent(w) {
      const position = await inner.writeRoomEvent(w);
      if (position === undefined) return undefined;
      const e = w.event;
      const stored: SyncEvent = {
        position,
        roomId: e.roomId,
        eventId: e.eventId,
        type: e.type,
        sender: e.sender,
        stateKey: e.stateKey,
        membership: e.membership,
        depth: e.depth,
        json: e.json,
        addsState: e.addsState,
        removesState: e.removesState,
        txnDeviceId: e.txnDeviceId,
        txnId: e.txnId,
      };
      window.append(stored);
      roomsWithState.set(e.roomId, true);
      // Who may have a new membership: the user of a member event replacing its own entry;
      // anything else (a room read whole, state resolution bringing entries back or removing
      // them) forgets everyone.
      const simple = !w.replaceState && w.adds.every((a) => a.eventId === e.eventId) && w.removes.length <= w.adds.length;
      if (!simple) {
        membershipGeneration++;
        memberships.clear();
      } else if (e.type === 'm.room.member' && e.stateKey !== null) {
        membershipGeneration++;
        memberships.delete(e.stateKey);
      }
      return position;
    },
    async redactEvent(eventId, json) {
      const done = await inner.redactEvent(eventId, json);
      if (done) window.redact(eventId, json);
      return done;
    },
    async hasRoomState(roomId) {
      if (roomsWithState.get(roomId)) return true;
      const has = await inner.hasRoomState(roomId);
      if (has) roomsWithState.set(roomId, true);
      return has;
    },
    latestPosition: async () => window.latest,
    recentEvents(ranges, limit) {
      const below: RoomRange[] = [];
      const out = new Map<string, SyncEvent[]>();
      for (const r of ranges) {
        if (!window.covers(r.after)) {
          below.push(r);
          continue;
        }
        const list = window.recent(r, limit);
        if (list.length > 0) out.set(r.roomId, list);
      }
      if (below.length === 0) return Promise.resolve(out);
      return inner.recentEvents(below, limit).then((read) => new Map([...out, ...read]));
    },
    stateChanges(ranges) {
      const below = ranges.filter((r) => !window.covers(r.after));
      const held = ranges.flatMap((r) => (window.covers(r.after) ? window.stateChanges(r) : []));
      if (below.length === 0) return Promise.resolve(held.sort((a, b) => a.position - b.position));
      return inner.stateChanges(below).then((read) => [...held, ...read].sort((a, b) => a.position - b.position));
    },
    activeRooms: (after, upTo) => (window.covers(after) ? Promise.resolve(window.activeRooms(after, upTo)) : inner.activeRooms(after, upTo)),
    membershipEvents: (userId, after, upTo) =>
      window.covers(after) ? Promise.resolve(window.membershipEvents(userId, after, upTo)) : inner.membershipEvents(userId, after, upTo),
    async userMemberships(userId) {
      const cached = memberships.get(userId);
      if (cached) return cached;
      const generation = membershipGeneration;
      const read = await inner.userMemberships(userId);
      if (generation === membershipGeneration) memberships.set(userId, read);
      return read;
    },
    async writeReceipt(r) {
      const position = await inner.writeReceipt(r);
      if (position !== undefined) receiptPosition = Math.max(receiptPosition, position);
      return position;
    },
    latestReceiptPosition: async () => receiptPosition,
    async writePresence(p) {
      const position = await inner.writePresence(p);
      if (position !== undefined) presencePosition = Math.max(presencePosition, position);
      return position;
    },
    latestPresencePosition: async () => presencePosition,
    async sentMembers(userId, deviceId, roomIds) {
      const key = deviceKey(userId, deviceId);
      const known = sent.get(key);
      const missing = known ? roomIds.filter((r) => !known.has(r)) : roomIds;
      // The cached maps themselves are returned: callers only read them (the interface says so).
      const out = new Map<string, ReadonlyMap<string, string>>();
      if (missing.length > 0) {
        const generation = sentGeneration;
        const read = await inner.sentMembers(userId, deviceId, missing);
        if (generation === sentGeneration) {
          const byRoom = sent.get(key) ?? new Map<string, Map<string, string>>();
          for (const roomId of missing) byRoom.set(roomId, new Map(read.get(roomId) ?? []));
          sent.set(key, byRoom);
        }
        for (const [roomId, members] of read) out.set(roomId, members);
      }
      for (const roomId of roomIds) {
        const members = known?.get(roomId);
        if (members && members.size > 0) out.set(roomId, members);
      }
      return out;
    },
    // The generation moves before and after the write: a read overlapping it in any way does not fill.
    async addSentMembers(userId, deviceId, members) {
      sentGeneration++;
      await inner.addSentMembers(userId, deviceId, members);
      sentGeneration++;
      const byRoom = sent.get(deviceKey(userId, deviceId));
      for (const m of members) byRoom?.get(m.roomId)?.set(m.memberId, m.eventId);
    },
    async clearSentMembers(userId, deviceId) {
      sentGeneration++;
      sent.delete(deviceKey(userId, deviceId));
      await inner.clearSentMembers(userId, deviceId);
      sentGeneration++;
      sent.delete(deviceKey(userId, deviceId));
    },
  };
}

function deviceKey(userId: string, deviceId: string): string {
  return `${userId}\u0000${deviceId}`;
}
