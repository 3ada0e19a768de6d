/**
 * Orders events so each comes after the events of the same batch it names in `auth_events`:
 * the roomserver checks an outlier against its own auth events, which must be stored first.
 */
import type { RoomEvent } from '../../matrix/room-event.js';

/**
 * A topological order of `events` by their `auth_events` within the batch (auth events outside
 * it are assumed stored). Ties, and any cycle a malicious server built, fall back to depth then
 * event ID, so the order is deterministic and every event appears exactly once.
 */
export function orderByAuthEvents(events: readonly RoomEvent[]): RoomEvent[] {
  const byId = new Map<string, RoomEvent>();
  for (const e of events) if (!byId.has(e.eventId)) byId.set(e.eventId, e);
  const sorted = [...byId.values()].sort((a, b) => a.depth - b.depth || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  const out: RoomEvent[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (root: RoomEvent): void => {
    // Iterative depth-first walk: an auth chain can be thousands deep.
    const stack: Array<{ event: RoomEvent; next: number }> = [{ event: root, next: 0 }];
    state.set(root.eventId, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const authId = top.event.authEvents[top.next++];
      if (authId === undefined) {
        stack.pop();
        state.set(top.event.eventId, 'done');
        out.push(top.event);
        continue;
      }
      const dep = byId.get(authId);
      if (dep && !state.has(authId)) {
        state.set(authId, 'visiting');
        stack.push({ event: dep, next: 0 });
      }
    }
  };
  for (const e of sorted) if (!state.has(e.eventId)) visit(e);
  return out;
}
