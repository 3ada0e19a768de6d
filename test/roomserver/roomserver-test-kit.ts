/**
 * Events and rooms for the roomserver storage suites: plain v11-shaped PDUs as `RoomEvent`s
 * (storage neither signs nor checks them), and a linear room whose every event follows the last.
 */
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import type { RoomserverStorage, StoreEventResult } from '../../src/roomserver/storage/index.js';

const V11 = roomVersion('11');
let counter = 0;

/** The fields of a test event. */
export interface TestEventFields {
  readonly roomId: string;
  readonly type: string;
  readonly stateKey?: string;
  readonly sender: string;
  readonly content?: JsonObject;
  readonly prevEvents?: readonly string[];
  readonly authEvents?: readonly string[];
  readonly depth?: number;
  /** Default: a fresh unique ID. */
  readonly eventId?: string;
}

/** A RoomEvent with its PDU JSON. */
export function testEvent(f: TestEventFields): RoomEvent {
  const eventId = f.eventId ?? `$e${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const content = f.content ?? {};
  const json: JsonObject = {
    room_id: f.roomId,
    type: f.type,
    sender: f.sender,
    content,
    prev_events: [...(f.prevEvents ?? [])],
    auth_events: [...(f.authEvents ?? [])],
    depth: f.depth ?? 1,
    origin_server_ts: 1_700_000_000_000 + counter,
    hashes: { sha256: 'test' },
    signatures: {},
  };
  if (f.stateKey !== undefined) json.state_key = f.stateKey;
  return {
    eventId,
    roomId: f.roomId,
    type: f.type,
    stateKey: f.stateKey,
    sender: f.sender,
    content,
    authEvents: f.authEvents ?? [],
    prevEvents: f.prevEvents ?? [],
    depth: f.depth ?? 1,
    originServerTs: json.origin_server_ts as number,
    redacts: undefined,
    json,
    roomVersion: V11,
  };
}

/** A room grown one event at a time, each on top of the previous one. */
export interface LinearRoom {
  readonly roomId: string;
  /** The last event appended. */
  readonly last: RoomEvent | undefined;
  /** Appends an event (state when `stateKey` is given) and moves the head to it. */
  append(type: string, content: JsonObject, stateKey?: string, sender?: string): Promise<{ event: RoomEvent; result: StoreEventResult }>;
  /** Appends `m.room.member` for `userId` with `membership`. */
  member(userId: string, membership: string, sender?: string): Promise<{ event: RoomEvent; result: StoreEventResult }>;
}

/** A new room in `storage`, created by `creator` with its create event. */
export async function linearRoom(storage: RoomserverStorage, roomId: string, creator = '@alice:a.test'): Promise<LinearRoom> {
  let last: RoomEvent | undefined;
  const room: LinearRoom = {
    roomId,
    get last() {
      return last;
    },
    async append(type, content, stateKey, sender = creator) {
      const event = testEvent({
        roomId,
        type,
        stateKey,
        sender,
        content,
        prevEvents: last ? [last.eventId] : [],
        depth: (last?.depth ?? 0) + 1,
      });
      const result = await storage.storeEvent({
        event,
        stateBefore: last ? { base: { afterEvent: last.eventId } } : {},
        updateHead: {},
      });
      last = event;
      return { event, result };
    },
    member: (userId, membership, sender) => room.append('m.room.member', { membership }, userId, sender ?? userId),
  };
  await room.append('m.room.create', { room_version: '11' }, '');
  return room;
}
