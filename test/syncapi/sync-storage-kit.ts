/**
 * Builders shared by the syncapi storage suites: a new event as the roomserver consumer hands it
 * to storage, with the defaults of a plain message so each suite states only what it tests.
 */
import type { NewSyncEvent } from '../../src/syncapi/storage/index.js';

/** The sender of an event built without one. */
export const DEFAULT_SENDER = '@alice:hs.test';

/**
 * An `m.room.message` from `DEFAULT_SENDER` at `depth` (its `origin_server_ts` follows the depth),
 * overridden by `extra`; its JSON carries the event ID, room, type, sender and empty content.
 */
export function newSyncEvent(roomId: string, eventId: string, depth: number, extra: Partial<NewSyncEvent> = {}): NewSyncEvent {
  return {
    roomId,
    eventId,
    type: 'm.room.message',
    sender: DEFAULT_SENDER,
    stateKey: null,
    membership: null,
    depth,
    originServerTs: 1_700_000_000_000 + depth,
    json: JSON.stringify({ event_id: eventId, room_id: roomId, type: extra.type ?? 'm.room.message', sender: extra.sender ?? DEFAULT_SENDER, content: {} }),
    strippedState: null,
    addsState: [],
    removesState: [],
    txnDeviceId: null,
    txnId: null,
    ...extra,
  };
}
