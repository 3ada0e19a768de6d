/**
 * Storing many outliers at once (the state and auth chain of a `send_join` or `/state`
 * response): one transaction with batched NID assignment and multi-row inserts, instead of
 * thousands of single-event transactions on the join path of a big room.
 */
import type { RoomEvent } from '../../matrix/room-event.js';
import { selectEventRefs } from './events-table.js';
import { chunkSize, inChunks } from '../../internal/sqlutil/in-chunks.js';
import { assignRoom } from './rooms-table.js';
import { inTransaction, type StorageContext } from './storage-context.js';
import { assignNids } from './string-nids.js';

/** Stores those of `events` not yet stored, as outliers of their rooms; how many were new. */
export async function storeOutliers(ctx: StorageContext, events: readonly RoomEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  return inTransaction(ctx, async (tx) => {
    const rooms = new Map<string, number>();
    for (const ev of events) {
      if (!rooms.has(ev.roomId)) rooms.set(ev.roomId, (await assignRoom(tx, ev.roomId, ev.roomVersion.id)).roomNid);
    }
    const known = await selectEventRefs(tx, events.map((e) => e.eventId));
    const fresh = new Map(events.filter((e) => !known.has(e.eventId)).map((e) => [e.eventId, e]));
    const list = [...fresh.values()];
    const [types, keys] = await Promise.all([
      assignNids(tx, 'type', list.map((e) => e.type)),
      assignNids(tx, 'stateKey', list.flatMap((e) => (e.stateKey === undefined ? [] : [e.stateKey]))),
    ]);
    const rows = list.map((ev) => ({
      event_id: ev.eventId,
      room_nid: rooms.get(ev.roomId)!,
      event_type_nid: types.get(ev.type)!,
      event_state_key_nid: ev.stateKey === undefined ? null : keys.get(ev.stateKey)!,
      depth: ev.depth,
      sender: ev.sender,
      origin_server_ts: ev.originServerTs,
      json: JSON.stringify(ev.json),
      prev_event_ids: JSON.stringify(ev.prevEvents),
      auth_event_ids: JSON.stringify(ev.authEvents),
      rejected: 0,
      rejection_reason: null,
      outlier: 1,
      state_before_nid: 0,
      state_after_nid: 0,
    }));
    for (const chunk of inChunks(rows, chunkSize(tx.caps, 15))) await tx.db.insertInto('roomserver_events').values(chunk).execute();
    return rows.length;
  });
}
