/**
 * Who is typing in each room, in memory (typing is ephemeral: nothing is stored), with the
 * `typing` stream's positions. Each change of a room's set of typing users moves the room to the
 * next position; a typing user drops out at their expiry, by a timer per room set for the room's
 * next expiry, which also moves the room and reports it (so the room's members are woken).
 *
 * Positions mean something only within one process. So that a token from an earlier process is
 * recognised, the first change of a process jumps to the process's start time in ms: a token
 * below it comes from before (or from a process that saw no typing) and gets every room that
 * changed since, which is the current state; a token above the latest position (another
 * instance, a clock set back) is answered with the current state and the cache catches up to it
 * ({@link TypingCache.advanceTo}), so the next sync does not get it again.
 *
 * Rooms whose set became empty are kept (with their position), so a sync from before learns that
 * the typing stopped; the map is bounded by the rooms of the server, not by its traffic.
 */

/** One typing change, as the clientapi announced it. */
export interface TypingUpdate {
  readonly roomId: string;
  readonly userId: string;
  readonly typing: boolean;
  /** When the typing ends by itself (ms since the epoch); ignored when `typing` is false. */
  readonly expiresAt: number;
}

export interface TypingCache {
  /** Applies a change; true when the room's set of typing users changed (wake its members). */
  update(u: TypingUpdate): boolean;
  /** The latest position (0 until the first change). */
  latest(): number;
  /** The users typing in the room now, in the order they started. */
  typingIn(roomId: string): string[];
  /**
   * The rooms among `roomIds` whose set changed in `(after, upTo]`, with who types in each now
   * (an empty list when the typing stopped).
   */
  changedIn(roomIds: Iterable<string>, after: number, upTo: number): Map<string, string[]>;
  /** Moves the latest position up to `position` if it is below (a token from elsewhere was answered). */
  advanceTo(position: number): void;
  /** Stops the expiry timers (shutdown). */
  close(): void;
}

export interface TypingCacheOptions {
  /** Called when a room's set changed because someone's typing expired. */
  readonly onExpire: (roomId: string) => void;
  readonly now?: () => number;
}

interface RoomTyping {
  /** User ID → expiry (ms since the epoch), in the order they started. */
  readonly users: Map<string, number>;
  position: number;
  timer: NodeJS.Timeout | undefined;
  timerAt: number;
}

/** An empty cache. */
export function createTypingCache(opts: TypingCacheOptions): TypingCache {
  const now = opts.now ?? Date.now;
  const epoch = now();
  const rooms = new Map<string, RoomTyping>();
  let position = 0;

  const bump = (room: RoomTyping) => {
    position = Math.max(position + 1, epoch);
    room.position = position;
  };
  const expire = (roomId: string, room: RoomTyping) => {
    room.timer = undefined;
    const t = now();
    let changed = false;
    for (const [userId, expiresAt] of room.users) {
      if (expiresAt <= t) changed = room.users.delete(userId) || changed;
    }
    schedule(roomId, room);
    if (changed) {
      bump(room);
      opts.onExpire(roomId);
    }
  };
  // One timer per room, for its earliest expiry; replaced only when that moves earlier or is gone.
  const schedule = (roomId: string, room: RoomTyping) => {
    let next = Infinity;
    for (const expiresAt of room.users.values()) next = Math.min(next, expiresAt);
    if (room.timer !== undefined && room.timerAt <= next && next !== Infinity) return;
    if (room.timer !== undefined) clearTimeout(room.timer);
    room.timer = undefined;
    if (next === Infinity) return;
    room.timerAt = next;
    room.timer = setTimeout(() => expire(roomId, room), Math.max(0, next - now()));
    // Typing must not keep a process alive that is otherwise done.
    room.timer.unref();
  };

  // A timer may fire a little late: who has expired is not typing any more, position or not.
  const typingIn = (room: RoomTyping | undefined): string[] => {
    if (!room) return [];
    const t = now();
    return [...room.users].filter(([, expiresAt]) => expiresAt > t).map(([userId]) => userId);
  };

  return {
    update(u) {
      let room = rooms.get(u.roomId);
      if (!room) rooms.set(u.roomId, (room = { users: new Map(), position: 0, timer: undefined, timerAt: 0 }));
      // A start that has already expired (a late message) is a stop.
      const typing = u.typing && u.expiresAt > now();
      let changed: boolean;
      if (typing) {
        changed = !room.users.has(u.userId);
        room.users.set(u.userId, u.expiresAt);
      } else {
        changed = room.users.delete(u.userId);
      }
      schedule(u.roomId, room);
      if (changed) bump(room);
      return changed;
    },
    latest: () => position,
    typingIn: (roomId) => typingIn(rooms.get(roomId)),
    changedIn(roomIds, after, upTo) {
      const out = new Map<string, string[]>();
      for (const roomId of roomIds) {
        const room = rooms.get(roomId);
        if (room && room.position > after && room.position <= upTo) out.set(roomId, typingIn(room));
      }
      return out;
    },
    advanceTo(p) {
      position = Math.max(position, p);
    },
    close() {
      for (const room of rooms.values()) {
        if (room.timer !== undefined) clearTimeout(room.timer);
        room.timer = undefined;
      }
    },
  };
}
