/**
 * Per-room serial processing (DESIGN §10): work on one room runs one task at a time, in
 * submission order, so two sends can never pick the same forward extremities and fork the room;
 * different rooms proceed in parallel. A room's entry lives only while it has queued work, so
 * the map is bounded by the rooms busy right now, never by the rooms ever seen.
 */

/** Serialises tasks per key. */
export interface RoomQueue {
  /** Runs `task` after every task queued before it for `roomId`; resolves or rejects with it. */
  run<T>(roomId: string, task: () => Promise<T>): Promise<T>;
  /** Rooms with queued or running work (for metrics and the bounded-map test). */
  readonly activeRooms: number;
}

/** An empty queue. */
export function createRoomQueue(): RoomQueue {
  // The tail of each room's chain; it never rejects, so one failed task does not fail the next.
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(roomId: string, task: () => Promise<T>): Promise<T> {
      const result = (tails.get(roomId) ?? Promise.resolve()).then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(roomId, tail);
      void tail.then(() => {
        if (tails.get(roomId) === tail) tails.delete(roomId);
      });
      return result;
    },
    get activeRooms() {
      return tails.size;
    },
  };
}
