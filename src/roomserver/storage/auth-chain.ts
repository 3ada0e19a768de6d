/**
 * The auth chain of some events (their auth events, transitively), walked breadth-first with one
 * batched read per level rather than one query per event.
 */
import { selectEvents, type StoredEvent } from './events-table.js';
import type { StorageContext } from './storage-context.js';

/** Every stored event in the auth chain of `eventIds` (excluding them unless reached), sorted by depth then ID. */
export async function loadAuthChain(ctx: StorageContext, eventIds: readonly string[]): Promise<StoredEvent[]> {
  const seen = new Set<string>();
  const chain = new Map<string, StoredEvent>();
  let frontier = [...(await selectEvents(ctx, eventIds)).flatMap((e) => e.authEvents)];
  while (frontier.length > 0) {
    const next = frontier.filter((id) => !seen.has(id));
    for (const id of next) seen.add(id);
    if (next.length === 0) break;
    const loaded = await selectEvents(ctx, next);
    frontier = [];
    for (const e of loaded) {
      chain.set(e.eventId, e);
      frontier.push(...e.authEvents);
    }
  }
  return [...chain.values()].sort((a, b) => a.depth - b.depth || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}
