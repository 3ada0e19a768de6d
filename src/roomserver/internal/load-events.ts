/**
 * Loading stored events as parsed {@link RoomEvent}s, through the context's cache: the send
 * path needs the same few events (the last event, power levels, the sender's membership) every
 * time, so in a busy room they are parsed once and read from memory.
 */
import { parseEvent } from '../../matrix/parse-event.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { JsonObject } from '../../matrix/json.js';
import type { StoredEvent } from '../storage/index.js';
import type { LoadedEvent, RoomserverInternalContext } from './roomserver-internal-context.js';

/** The stored ones of `eventIds`, by ID; one batched read for the cache misses. */
export async function loadEvents(ctx: RoomserverInternalContext, eventIds: Iterable<string>): Promise<Map<string, LoadedEvent>> {
  const out = new Map<string, LoadedEvent>();
  const missing: string[] = [];
  for (const id of eventIds) {
    if (out.has(id)) continue;
    const hit = ctx.events.get(id);
    if (hit) out.set(id, hit);
    else missing.push(id);
  }
  if (missing.length === 0) return out;
  for (const stored of await ctx.storage.getEvents(missing)) {
    const loaded = fromStored(stored);
    ctx.events.set(stored.eventId, loaded);
    out.set(stored.eventId, loaded);
  }
  return out;
}

/** A stored row parsed; the ID is trusted (we computed or checked it before storing). */
export function fromStored(stored: StoredEvent): LoadedEvent {
  const event = parseEvent(JSON.parse(stored.json) as JsonObject, roomVersion(stored.roomVersion), { trustedEventId: stored.eventId });
  return { event, rejected: stored.rejected, outlier: stored.outlier };
}
