/**
 * The {@link SentMembersStore} of one lazy-loading sync, over `syncapi_sent_members`: the records
 * of the response's rooms are read in one statement before the response is built, kept in memory
 * while it is (the filter module's interface is synchronous), and what changed is written back in
 * one transaction afterwards. A device syncing from scratch (no `since`, or `full_state`) starts
 * with no records.
 *
 * If a response is lost on its way to the client, its records still say its members were sent;
 * the client then misses those member events until it syncs from scratch. Synapse's in-memory
 * cache has the same weakness; keying records by the `since` token would close it.
 */
import type { SentMembers, SentMembersStore } from '../filter/lazy-members.js';
import type { SentMember, SyncStorage } from '../storage/index.js';

/** A store for one device and one response, written back by {@link SentMembersSession.flush}. */
export interface SentMembersSession extends SentMembersStore {
  /** Writes the records changed since the session opened. */
  flush(): Promise<void>;
}

/**
 * Opens the records of `roomIds` for the device; with `reset`, forgets every record of the
 * device first (it syncs from scratch).
 */
export async function openSentMembers(
  storage: Pick<SyncStorage, 'sentMembers' | 'addSentMembers' | 'clearSentMembers'>,
  userId: string,
  deviceId: string,
  roomIds: readonly string[],
  reset: boolean,
): Promise<SentMembersSession> {
  if (reset) await storage.clearSentMembers(userId, deviceId);
  const loaded: Map<string, ReadonlyMap<string, string>> = reset ? new Map() : await storage.sentMembers(userId, deviceId, roomIds);
  const changed = new Map<string, SentMembers>();
  // Each loaded record as the filter module's object, made once per room.
  const asRecord = new Map<string, SentMembers>();
  let cleared = false;
  const mine = (u: string, d: string) => u === userId && d === deviceId;
  return {
    get(u, d, roomId) {
      if (!mine(u, d)) return undefined;
      const c = changed.get(roomId);
      if (c) return c;
      const room = cleared ? undefined : loaded.get(roomId);
      if (!room) return undefined;
      let record = asRecord.get(roomId);
      if (!record) asRecord.set(roomId, (record = Object.fromEntries(room)));
      return record;
    },
    set(u, d, roomId, sent) {
      if (mine(u, d)) changed.set(roomId, sent);
    },
    clearDevice(u, d) {
      if (!mine(u, d)) return;
      cleared = true;
      changed.clear();
    },
    async flush() {
      if (cleared) await storage.clearSentMembers(userId, deviceId);
      const rows: SentMember[] = [];
      for (const [roomId, sent] of changed) {
        const before = cleared ? undefined : loaded.get(roomId);
        for (const [memberId, eventId] of Object.entries(sent)) {
          if (before?.get(memberId) !== eventId) rows.push({ roomId, memberId, eventId });
        }
      }
      await storage.addSentMembers(userId, deviceId, rows);
      if (cleared) loaded.clear();
      for (const [roomId, sent] of changed) loaded.set(roomId, new Map(Object.entries(sent)));
      asRecord.clear();
      cleared = false;
      changed.clear();
    },
  };
}
