/**
 * `queryRoomSummaries`: what the space hierarchy and room summary endpoints show of many rooms —
 * the directory's fields plus version, encryption, the rooms a restricted join rule allows, the
 * asking user's membership and, for spaces, their `m.space.child` events. The child events are
 * read only for spaces: reading a whole event type touches every state block of the room, which
 * ordinary (possibly huge) rooms should not pay for.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { QueryRoomSummariesRequest, QueryRoomSummariesResponse, RoomSummary, SpaceChildState, StateTuple } from '../api.js';
import type { StoredEvent } from '../storage/index.js';
import { mapBounded } from './map-bounded.js';
import { contentsByType, publicSummaryOf, SUMMARY_CONCURRENCY, SUMMARY_STATE } from './query-public-rooms-summaries.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

const ROOM_SUMMARY_STATE: readonly StateTuple[] = [...SUMMARY_STATE, ['m.room.encryption', '']];

/** Join rules whose `allow` list names rooms whose members may join. */
const ALLOW_LIST_RULES = new Set(['restricted', 'knock_restricted']);

/** The summaries of the rooms asked that have state here, in the order asked. */
export async function queryRoomSummaries(ctx: RoomserverInternalContext, req: QueryRoomSummariesRequest): Promise<QueryRoomSummariesResponse> {
  const rooms = await mapBounded(req.roomIds, SUMMARY_CONCURRENCY, (roomId) => summarise(ctx, roomId, req.userId));
  return { rooms: rooms.filter((r): r is RoomSummary => r !== undefined) };
}

async function summarise(ctx: RoomserverInternalContext, roomId: string, userId: string | undefined): Promise<RoomSummary | undefined> {
  const [events, members, membership] = await Promise.all([
    ctx.storage.getStateEvents({ currentOf: roomId }, { tuples: ROOM_SUMMARY_STATE }),
    ctx.storage.getMembers(roomId, 'join'),
    userId === undefined ? undefined : ctx.storage.getMembership(roomId, userId),
  ]);
  const create = events?.find((e) => e.type === 'm.room.create');
  if (!events || !create) return undefined;
  const base = publicSummaryOf(roomId, events, members.length);
  const content = contentsByType(events);
  const algorithm = content.get('m.room.encryption')?.algorithm;
  const children = base.roomType === 'm.space' ? await spaceChildren(ctx, roomId) : [];
  return {
    ...base,
    roomVersion: create.roomVersion,
    encryption: typeof algorithm === 'string' ? algorithm : null,
    allowedRoomIds: allowedRoomIds(content.get('m.room.join_rules')),
    membership: membership?.membership ?? null,
    childrenState: children,
  };
}

/** The `room_id`s of the `m.room_membership` entries of a join rule that has an allow list. */
function allowedRoomIds(joinRules: JsonObject | undefined): string[] {
  if (!joinRules || typeof joinRules.join_rule !== 'string' || !ALLOW_LIST_RULES.has(joinRules.join_rule)) return [];
  if (!Array.isArray(joinRules.allow)) return [];
  return joinRules.allow.flatMap((a) => (isJsonObject(a) && a.type === 'm.room_membership' && typeof a.room_id === 'string' ? [a.room_id] : []));
}

async function spaceChildren(ctx: RoomserverInternalContext, roomId: string): Promise<SpaceChildState[]> {
  const events = (await ctx.storage.getStateEvents({ currentOf: roomId }, { types: ['m.space.child'] })) ?? [];
  return events.map(toSpaceChildState).sort((a, b) => (a.stateKey < b.stateKey ? -1 : a.stateKey > b.stateKey ? 1 : 0));
}

function toSpaceChildState(e: StoredEvent): SpaceChildState {
  const content = (JSON.parse(e.json) as JsonObject).content;
  return { stateKey: e.stateKey ?? '', sender: e.sender, originServerTs: e.originServerTs, content: isJsonObject(content) ? content : {} };
}
