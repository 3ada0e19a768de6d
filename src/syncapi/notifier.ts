/**
 * Wakes the long-polling `/sync` requests that care about something new, and only those
 * (DESIGN §10): waiting requests are indexed by user ID, and each room's joined local members are
 * kept in memory, so a room event wakes exactly its members' requests (plus the target of a
 * membership change) without scanning every waiting request.
 *
 * The joined-members index is loaded once from current state at start-up and then follows the
 * membership changes the consumer reports; it holds one entry per local membership, bounded by
 * the server's data, not its traffic. A request registers its listener *before* it reads
 * storage, so a change committed while it reads still wakes it.
 *
 * A legacy `/events?room_id=` long-poll may watch a world-readable room its user is not in: such
 * listeners are also indexed by that room, and woken by whatever wakes the room's members.
 */

/** A user's membership after an event (`join`, `invite`, `leave`, `ban`, `knock`). */
export interface MembershipChange {
  readonly userId: string;
  readonly membership: string;
}

/** One waiting request's registration. */
export interface SyncListener {
  /**
   * Resolves true when the user was woken (at any time since the listener was made), false when
   * `deadline` (ms since the epoch) passes or `signal` aborts first.
   */
  wait(deadline: number, signal?: AbortSignal): Promise<boolean>;
  /** Unregisters; call it when the request is done, woken or not. */
  cancel(): void;
}

export interface Notifier {
  /**
   * Registers interest in anything new for `userId`; with `peekRooms`, also in those rooms' events,
   * typing, receipts and their members' presence (the legacy `/events?room_id=`, which may watch
   * a world-readable room the user is not in, so the joined-members index does not reach it).
   */
  listen(userId: string, peekRooms?: readonly string[]): SyncListener;
  /**
   * A room event was stored: applies its membership changes to the index, then wakes the room's
   * joined members and every user whose membership changed.
   */
  roomEvent(roomId: string, changes: readonly MembershipChange[]): void;
  /** Wakes these users (account data, a retired invite). */
  wakeUsers(userIds: Iterable<string>): void;
  /** Wakes the room's joined local members (typing, receipts). */
  wakeRoom(roomId: string): void;
  /** Wakes `userId` and every local user joined to a room `userId` is joined to (presence). */
  wakeRoomMates(userId: string): void;
  /** Adds joined `[roomId, userId]` pairs (the start-up load). */
  loadJoined(pairs: Iterable<readonly [string, string]>): void;
  /** The joined local members the index holds for a room (tests, metrics). */
  joinedMembers(roomId: string): readonly string[];
  /** How many listeners are registered (tests, metrics). */
  listenerCount(): number;
  /**
   * The server is shutting down: every wait ends now (unwoken) and later waits end at once, so
   * long-polls answer with what they have instead of holding the listeners' close.
   */
  close(): void;
}

interface Listener {
  woken: boolean;
  fire: (() => void) | undefined;
}

/** A notifier for this server's users; `isLocal` tells them apart (only they can sync here). */
export function createNotifier(isLocal: (userId: string) => boolean): Notifier {
  const listeners = new Map<string, Set<Listener>>();
  const rooms = new Map<string, Set<string>>();
  // The same pairs by user, so a user's room-mates are found without scanning every room.
  const userRooms = new Map<string, Set<string>>();
  // Listeners watching rooms they need not be joined to, by room.
  const peekers = new Map<string, Set<Listener>>();
  let count = 0;
  let closed = false;

  // Woken waits resume one per event-loop turn, in wake order: a sync served from memory then
  // runs to its answer before the next starts, so a hundred woken by one message answer one
  // after another instead of all at the end of their interleaved work; one that waits on I/O
  // lets the next start meanwhile.
  const due: Listener[] = [];
  let pumping = false;
  const pump = () => {
    due.shift()?.fire?.();
    if (due.length > 0) setImmediate(pump);
    else pumping = false;
  };
  const fireAll = (set: Set<Listener> | undefined) => {
    if (!set) return;
    for (const l of set) {
      l.woken = true;
      if (!l.fire) continue;
      due.push(l);
      if (!pumping) {
        pumping = true;
        setImmediate(pump);
      }
    }
  };
  const wake = (userId: string) => fireAll(listeners.get(userId));
  const setMembership = (roomId: string, userId: string, membership: string) => {
    if (!isLocal(userId)) return;
    let members = rooms.get(roomId);
    let joined = userRooms.get(userId);
    if (membership === 'join') {
      if (!members) rooms.set(roomId, (members = new Set()));
      members.add(userId);
      if (!joined) userRooms.set(userId, (joined = new Set()));
      joined.add(roomId);
    } else if (members) {
      members.delete(userId);
      if (members.size === 0) rooms.delete(roomId);
      joined?.delete(roomId);
      if (joined?.size === 0) userRooms.delete(userId);
    }
  };

  return {
    listen(userId, peekRooms = []) {
      const l: Listener = { woken: false, fire: undefined };
      let set = listeners.get(userId);
      if (!set) listeners.set(userId, (set = new Set()));
      set.add(l);
      for (const roomId of peekRooms) {
        let watching = peekers.get(roomId);
        if (!watching) peekers.set(roomId, (watching = new Set()));
        watching.add(l);
      }
      count++;
      let cancelled = false;
      const cancel = () => {
        if (cancelled) return;
        cancelled = true;
        count--;
        set.delete(l);
        if (set.size === 0 && listeners.get(userId) === set) listeners.delete(userId);
        for (const roomId of peekRooms) {
          const watching = peekers.get(roomId);
          watching?.delete(l);
          if (watching?.size === 0) peekers.delete(roomId);
        }
        l.fire?.();
      };
      return {
        wait(deadline, signal) {
          if (l.woken) return Promise.resolve(true);
          if (cancelled || closed || signal?.aborted) return Promise.resolve(false);
          return new Promise<boolean>((resolve) => {
            const finish = () => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', finish);
              l.fire = undefined;
              resolve(l.woken);
            };
            const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
            signal?.addEventListener('abort', finish, { once: true });
            l.fire = finish;
          });
        },
        cancel,
      };
    },
    roomEvent(roomId, changes) {
      for (const c of changes) setMembership(roomId, c.userId, c.membership);
      const members = rooms.get(roomId);
      if (members) for (const u of members) wake(u);
      for (const c of changes) wake(c.userId);
      fireAll(peekers.get(roomId));
    },
    wakeUsers(userIds) {
      for (const u of userIds) wake(u);
    },
    wakeRoom(roomId) {
      for (const u of rooms.get(roomId) ?? []) wake(u);
      fireAll(peekers.get(roomId));
    },
    wakeRoomMates(userId) {
      const mates = new Set([userId]);
      for (const roomId of userRooms.get(userId) ?? []) for (const u of rooms.get(roomId) ?? []) mates.add(u);
      for (const u of mates) wake(u);
      for (const roomId of userRooms.get(userId) ?? []) fireAll(peekers.get(roomId));
    },
    loadJoined(pairs) {
      for (const [roomId, userId] of pairs) setMembership(roomId, userId, 'join');
    },
    joinedMembers: (roomId) => [...(rooms.get(roomId) ?? [])],
    listenerCount: () => count,
    close() {
      closed = true;
      for (const set of listeners.values()) for (const l of set) l.fire?.();
    },
  };
}
