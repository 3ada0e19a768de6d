/**
 * Paging back past the history this server holds. A room joined over federation starts here at
 * the join; `/messages` reaching its bottom asks the roomserver to backfill (fetch older events
 * from the room's other servers), then waits for them to reach this component's storage — they
 * come through the bus (`backfilled_events`), asynchronously, possibly to another instance's
 * writer — before reading the page again.
 *
 * Old events are stored below every sync position (`storage/output-room-events-historical.ts`):
 * they take their topological place in `/messages` and never show in a sync as new.
 */
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import type { SyncStorage } from '../storage/index.js';
import { comparePoints, pointBefore, ROOM_END, ROOM_START, type TopologicalPoint } from './topological-point.js';

/** How long a page waits for backfilled events to be stored here. */
export const BACKFILL_WAIT_MS = 10_000;
/** The fewest events asked of other servers, however small the page. */
const MIN_BACKFILL = 20;

/** What backfilling needs. */
export interface BackfillDeps {
  readonly storage: SyncStorage;
  readonly roomserver: Pick<SyncRoomserverAPI, 'performBackfill'>;
}

/**
 * Backfills the room when a page going back to `to` reached the bottom of what is stored and
 * that bottom is not the room's creation; true when new events were stored (read the page again).
 */
export async function backfillBelow(deps: BackfillDeps, roomId: string, to: TopologicalPoint, limit: number, waitMs = BACKFILL_WAIT_MS): Promise<boolean> {
  const [oldest] = await deps.storage.topologicalPage({ roomId, from: ROOM_START, to: ROOM_END, backwards: false, limit: 1 });
  if (oldest === undefined || oldest.type === 'm.room.create') return false;
  // The range stops above what we hold (a `to` token): nothing below it was asked for.
  if (comparePoints(to, pointBefore(oldest)) > 0) return false;
  let eventIds: readonly string[];
  try {
    ({ eventIds } = await deps.roomserver.performBackfill({ roomId, limit: Math.max(limit, MIN_BACKFILL) }));
  } catch {
    // The roomserver or federation failing must not fail the page: it answers with what we hold.
    return false;
  }
  if (eventIds.length === 0) return false;
  return (await waitUntilStored(deps.storage, eventIds, waitMs)) > 0;
}

/** Polls until every one of `eventIds` is stored or `waitMs` passed; how many are stored. */
export async function waitUntilStored(storage: SyncStorage, eventIds: readonly string[], waitMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  let pending = [...new Set(eventIds)];
  let stored = 0;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const found = new Set((await storage.eventsByIds(pending)).map((e) => e.eventId));
    stored += found.size;
    pending = pending.filter((id) => !found.has(id));
    if (pending.length === 0 || Date.now() >= deadline) return stored;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))));
  }
}
