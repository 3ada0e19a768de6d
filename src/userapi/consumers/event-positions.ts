/**
 * Room stream positions and threads of recent events, remembered by the push consumer as it sees
 * them. The position lets a read receipt naming an event that notified nobody (the reader's own
 * message, say) still mark the right notifications read without asking anyone. The thread lets
 * a later event relating to this one (a reaction to or an edit of a threaded message) be counted
 * in that thread: per the receipts module an event is in a thread when it has an `m.thread`
 * relation or relates to an event in one. Remembering each event's resolved thread follows such
 * chains one step at a time, without walking relations back. Bounded: entries not used lately go
 * first.
 */
import { boundedCache } from '../../internal/util/bounded-cache.js';
import type { JsonObject } from '../../matrix/json.js';
import { threadLinkOf } from '../../matrix/thread-link.js';
import { MAIN_TIMELINE } from '../storage/notification-storage.js';

/** Recent events' room stream positions and threads. */
export interface EventPositions {
  /** Remembers an event; `threadId` (a thread root or `main`) when known. */
  remember(eventId: string, position: number, threadId?: string): void;
  get(eventId: string): number | undefined;
  /** The remembered thread of an event, undefined when not remembered. */
  threadOf(eventId: string): string | undefined;
}

interface Remembered {
  readonly position: number;
  readonly threadId: string | undefined;
}

/** A map of at most `max` events (50 000 by default, a few MB). */
export function createEventPositions(max = 50_000): EventPositions {
  const events = boundedCache<string, Remembered>(max);
  return {
    remember: (eventId, position, threadId) => events.set(eventId, { position, threadId }),
    get: (eventId) => events.get(eventId)?.position,
    threadOf: (eventId) => events.get(eventId)?.threadId,
  };
}

/**
 * The thread of a new event: from its own relation, else its parent's thread as remembered,
 * else as stored with the parent's notifications (`storedThreadOf`, asked only then), else `main`.
 */
export async function threadOfNewEvent(
  event: JsonObject,
  positions: EventPositions,
  storedThreadOf: (eventId: string) => Promise<string | undefined>,
): Promise<string> {
  const link = threadLinkOf(event);
  if ('threadId' in link) return link.threadId;
  return positions.threadOf(link.relatesTo) ?? (await storedThreadOf(link.relatesTo)) ?? MAIN_TIMELINE;
}
