/**
 * Room stream positions of recent events, remembered by the push consumer as it sees them, so a
 * read receipt naming an event that notified nobody (the reader's own message, say) still marks
 * the right notifications read without asking anyone. Bounded: entries not used lately go first.
 */
import { boundedCache } from '../../internal/util/bounded-cache.js';

/** Recent events' room stream positions. */
export interface EventPositions {
  remember(eventId: string, position: number): void;
  get(eventId: string): number | undefined;
}

/** A map of at most `max` events (50 000 by default, a few MB). */
export function createEventPositions(max = 50_000): EventPositions {
  const positions = boundedCache<string, number>(max);
  return {
    remember: (eventId, position) => positions.set(eventId, position),
    get: (eventId) => positions.get(eventId),
  };
}
