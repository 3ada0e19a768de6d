/**
 * The `visibility` of `/initialSync`'s rooms: whether each is published in the server's room
 * directory, asked of the roomserver (`queryRoomVisibility`). That is one call per room, so
 * a user's rooms are asked a few at a time; a deprecated endpoint does not justify a batched
 * roomserver method yet.
 */
import type { ClientRoomserverAPI, RoomVisibility } from '../../roomserver/api.js';

/** Calls in flight at once. */
const CONCURRENCY = 8;

/** Each room's directory visibility (`private` for rooms the roomserver does not know). */
export async function roomVisibilities(roomserver: Pick<ClientRoomserverAPI, 'queryRoomVisibility'>, roomIds: readonly string[]): Promise<Map<string, RoomVisibility>> {
  const out = new Map<string, RoomVisibility>();
  for (let i = 0; i < roomIds.length; i += CONCURRENCY) {
    const batch = roomIds.slice(i, i + CONCURRENCY);
    const answers = await Promise.all(batch.map((roomId) => roomserver.queryRoomVisibility({ roomId })));
    batch.forEach((roomId, j) => out.set(roomId, answers[j]!.visibility));
  }
  return out;
}
