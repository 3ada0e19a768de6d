/**
 * `queryBackfill`: the events given and those before them in the DAG, deepest first, up to a
 * limit — federation's `/backfill` (spec: "the PDUs given in `v` and the PDUs that preceded them
 * are retrieved, up to the total number given by the `limit`"). Like Synapse's
 * `get_backfill_events` the walk always takes the deepest event not yet taken, so parallel
 * branches come back interleaved by depth rather than one branch exhausted before the next.
 *
 * Each round reads every pending prev event in one batch; an event's prevs are queued as soon as
 * it is read, so the walk is one read per DAG level, not one per event. Outliers (no place in our
 * DAG: a gap), rejected events and other rooms' events end a branch; soft-failed events are
 * walked through but not served (stored, not served, as everywhere).
 */
import type { QueryBackfillRequest, QueryBackfillResponse } from '../api.js';
import type { StoredEvent } from '../storage/index.js';
import { toStoredRoomEvent } from './query-state.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Up to `limit` events, deepest first (ties by event ID); the given events count toward it. */
export async function queryBackfill(ctx: RoomserverInternalContext, req: QueryBackfillRequest): Promise<QueryBackfillResponse> {
  const limit = Math.max(0, Math.floor(req.limit));
  const out: StoredEvent[] = [];
  const seen = new Set<string>(req.eventIds);
  const ready: StoredEvent[] = [];
  /** Prev events not read yet, with the depth of the deepest event naming them. */
  let pending = new Map<string, number>(req.eventIds.map((id) => [id, Number.POSITIVE_INFINITY]));
  while (out.length < limit) {
    // A pending event is shallower than the event naming it: the deepest ready event may be
    // taken before reading it only when no pending one can be as deep (ties go by event ID).
    const bound = Math.max(Number.NEGATIVE_INFINITY, ...[...pending.values()].map((d) => d - 1));
    const best = deepest(ready);
    if (best === undefined || ready[best]!.depth <= bound) {
      if (pending.size === 0) break;
      const loaded = await ctx.storage.getEvents([...pending.keys()]);
      pending = new Map();
      for (const e of loaded) {
        if (e.roomId !== req.roomId || e.outlier || e.rejected) continue;
        ready.push(e);
        for (const p of e.prevEvents) {
          if (seen.has(p)) continue;
          seen.add(p);
          pending.set(p, e.depth);
        }
      }
      continue;
    }
    const [taken] = ready.splice(best, 1);
    if (taken && !taken.softFailed) out.push(taken);
  }
  return { events: out.map(toStoredRoomEvent) };
}

/** The index of the deepest event (ties: the smallest event ID), or undefined when empty. */
function deepest(events: readonly StoredEvent[]): number | undefined {
  let best: number | undefined;
  events.forEach((e, i) => {
    const b = best === undefined ? undefined : events[best]!;
    if (!b || e.depth > b.depth || (e.depth === b.depth && e.eventId < b.eventId)) best = i;
  });
  return best;
}
