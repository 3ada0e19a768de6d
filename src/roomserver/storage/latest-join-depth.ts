/**
 * The deepest join of a user in a room, for history visibility's `shared` rule ("the user
 * joined the room at any point after the event"): read from the user's own `m.room.member`
 * events over the `(room_nid, event_type_nid, event_state_key_nid)` index, counting only events
 * that are part of the room (not outliers, rejected or soft-failed ones).
 */
import type { JsonObject } from '../../matrix/json.js';
import { roomHead } from './rooms-table.js';
import type { StorageContext } from './storage-context.js';
import { lookupNids } from './string-nids.js';

/** The largest depth of the user's join events in the room; undefined when they never joined. */
export async function selectLatestJoinDepth(ctx: StorageContext, roomId: string, userId: string): Promise<number | undefined> {
  const [room, types, keys] = await Promise.all([roomHead(ctx, roomId), lookupNids(ctx, 'type', ['m.room.member']), lookupNids(ctx, 'stateKey', [userId])]);
  const typeNid = types.get('m.room.member');
  const keyNid = keys.get(userId);
  if (!room || typeNid === undefined || keyNid === undefined) return undefined;
  const rows = await ctx.db
    .selectFrom('roomserver_events')
    .select(['depth', 'json'])
    .where('room_nid', '=', room.roomNid)
    .where('event_type_nid', '=', typeNid)
    .where('event_state_key_nid', '=', keyNid)
    .where('outlier', '=', 0)
    .where('rejected', '=', 0)
    .where('soft_failed', '=', 0)
    .orderBy('depth', 'desc')
    .execute();
  // Profile changes are joins too, so the deepest event is usually the answer at once.
  for (const r of rows) {
    const content = (JSON.parse(r.json) as JsonObject).content as JsonObject | undefined;
    if (content?.membership === 'join') return r.depth;
  }
  return undefined;
}
