/** Which of some event IDs the roomserver does not have stored (as outliers or otherwise). */
import type { SendRoomserverAPI } from '../routing/send-transaction-deps.js';

/** The IDs of `eventIds` not stored, deduplicated, in the order given. */
export async function unknownEventIds(api: SendRoomserverAPI, eventIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(eventIds)];
  if (unique.length === 0) return [];
  const { events } = await api.queryEvents({ eventIds: unique });
  const known = new Set(events.map((e) => e.eventId));
  return unique.filter((id) => !known.has(id));
}
