/**
 * `queryPublicRoomsSummaries`: what the room directory shows of many rooms. Storage reads state
 * per room (a filtered read touches only the blocks holding the eight entries asked for), so
 * rooms are read in parallel with a bounded number in flight rather than one after another.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { StateTuple, PublicRoomSummary, QueryPublicRoomsSummariesRequest, QueryPublicRoomsSummariesResponse } from '../api.js';
import type { StoredEvent } from '../storage/index.js';
import { mapBounded } from './map-bounded.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Rooms read at once: enough to hide latency, few enough to leave the pool to the send path. */
export const SUMMARY_CONCURRENCY = 8;

/** The state entries a {@link PublicRoomSummary} is read from. */
export const SUMMARY_STATE: readonly StateTuple[] = [
  ['m.room.create', ''],
  ['m.room.name', ''],
  ['m.room.topic', ''],
  ['m.room.canonical_alias', ''],
  ['m.room.avatar', ''],
  ['m.room.join_rules', ''],
  ['m.room.history_visibility', ''],
  ['m.room.guest_access', ''],
];

/** The summaries of the rooms asked (or every published room), unknown rooms left out. */
export async function queryPublicRoomsSummaries(ctx: RoomserverInternalContext, req: QueryPublicRoomsSummariesRequest): Promise<QueryPublicRoomsSummariesResponse> {
  const roomIds = req.roomIds ?? (await ctx.storage.getPublishedRooms({}));
  const rooms = await mapBounded(roomIds, SUMMARY_CONCURRENCY, (roomId) => summarise(ctx, roomId));
  return { rooms: rooms.filter((r): r is PublicRoomSummary => r !== undefined) };
}

async function summarise(ctx: RoomserverInternalContext, roomId: string): Promise<PublicRoomSummary | undefined> {
  const [events, members] = await Promise.all([
    ctx.storage.getStateEvents({ currentOf: roomId }, { tuples: SUMMARY_STATE }),
    ctx.storage.getMembers(roomId, 'join'),
  ]);
  if (!events || events.length === 0) return undefined;
  return publicSummaryOf(roomId, events, members.length);
}

/** The directory's view of a room from its {@link SUMMARY_STATE} events (other events are ignored). */
export function publicSummaryOf(roomId: string, events: readonly StoredEvent[], numJoinedMembers: number): PublicRoomSummary {
  const content = contentsByType(events);
  const str = (type: string, key: string): string | null => {
    const v = content.get(type)?.[key];
    return typeof v === 'string' && v !== '' ? v : null;
  };
  return {
    roomId,
    name: str('m.room.name', 'name'),
    topic: str('m.room.topic', 'topic'),
    canonicalAlias: str('m.room.canonical_alias', 'alias'),
    numJoinedMembers,
    worldReadable: str('m.room.history_visibility', 'history_visibility') === 'world_readable',
    guestCanJoin: str('m.room.guest_access', 'guest_access') === 'can_join',
    avatarUrl: str('m.room.avatar', 'url'),
    joinRule: str('m.room.join_rules', 'join_rule'),
    roomType: str('m.room.create', 'type'),
  };
}

/** Each event's content by event type (one event per type expected). */
export function contentsByType(events: readonly StoredEvent[]): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const e of events) {
    const content = (JSON.parse(e.json) as JsonObject).content;
    out.set(e.type, isJsonObject(content) ? content : {});
  }
  return out;
}
