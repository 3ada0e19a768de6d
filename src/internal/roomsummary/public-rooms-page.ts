/**
 * One page of the published room directory from the summaries of every published room: filter
 * (`generic_search_term`, `room_types`), order (most joined members first, then room ID, so the
 * order is stable between pages), and cut at an offset. Pagination tokens are opaque to clients;
 * ours carry the offset (`o<n>`), as the directory is small and reordering between two pages
 * can at worst repeat or skip a room, which the spec tolerates.
 */
import { MatrixError } from '../errors/matrix-error.js';
import type { PublicRoomSummary } from '../../roomserver/api.js';

/** What a client (`/publicRooms`) or another server (federation `/publicRooms`) may ask of the directory. */
export interface PublicRoomsQuery {
  readonly limit?: number;
  readonly since?: string;
  readonly genericSearchTerm?: string;
  /** `null` in the list means rooms without a type. */
  readonly roomTypes?: readonly (string | null)[];
}

/** `PublicRoomsChunk` of the spec. */
export interface PublicRoomsChunk {
  readonly room_id: string;
  readonly num_joined_members: number;
  readonly world_readable: boolean;
  readonly guest_can_join: boolean;
  readonly name?: string;
  readonly topic?: string;
  readonly canonical_alias?: string;
  readonly avatar_url?: string;
  readonly join_rule?: string;
  readonly room_type?: string;
}

/** `PublicRoomsResponse` of the spec. */
export interface PublicRoomsResponse {
  readonly chunk: readonly PublicRoomsChunk[];
  readonly next_batch?: string;
  readonly prev_batch?: string;
  readonly total_room_count_estimate: number;
}

/** A page of `rooms` (every published room, in any order) as asked by `q`. */
export function publicRoomsPage(rooms: readonly PublicRoomSummary[], q: PublicRoomsQuery): PublicRoomsResponse {
  const offset = q.since === undefined || q.since === '' ? 0 : parseSince(q.since);
  const matching = rooms.filter(matcher(q)).sort(byMembersThenId);
  const limit = q.limit === undefined || q.limit <= 0 ? matching.length : q.limit;
  const page = matching.slice(offset, offset + limit);
  return {
    chunk: page.map(toChunk),
    ...(offset + limit < matching.length ? { next_batch: `o${offset + limit}` } : {}),
    ...(offset > 0 ? { prev_batch: `o${Math.max(0, offset - limit)}` } : {}),
    total_room_count_estimate: matching.length,
  };
}

function parseSince(since: string): number {
  const m = /^o(\d{1,9})$/.exec(since);
  if (!m) throw MatrixError.invalidParam(`Unknown pagination token ${since}`);
  return Number(m[1]);
}

function matcher(q: PublicRoomsQuery): (r: PublicRoomSummary) => boolean {
  const term = q.genericSearchTerm?.trim().toLowerCase() ?? '';
  const types = q.roomTypes && q.roomTypes.length > 0 ? new Set(q.roomTypes) : undefined;
  return (r) => {
    if (types && !types.has(r.roomType)) return false;
    if (term === '') return true;
    return [r.name, r.topic, r.canonicalAlias].some((s) => s !== null && s.toLowerCase().includes(term));
  };
}

function byMembersThenId(a: PublicRoomSummary, b: PublicRoomSummary): number {
  if (a.numJoinedMembers !== b.numJoinedMembers) return b.numJoinedMembers - a.numJoinedMembers;
  return a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0;
}

/** A room's `PublicRoomsChunk`; `/room_summary` and `/hierarchy` build on it. */
export function toChunk(r: PublicRoomSummary): PublicRoomsChunk {
  return {
    room_id: r.roomId,
    num_joined_members: r.numJoinedMembers,
    world_readable: r.worldReadable,
    guest_can_join: r.guestCanJoin,
    ...(r.name !== null ? { name: r.name } : {}),
    ...(r.topic !== null ? { topic: r.topic } : {}),
    ...(r.canonicalAlias !== null ? { canonical_alias: r.canonicalAlias } : {}),
    ...(r.avatarUrl !== null ? { avatar_url: r.avatarUrl } : {}),
    ...(r.joinRule !== null ? { join_rule: r.joinRule } : {}),
    ...(r.roomType !== null ? { room_type: r.roomType } : {}),
  };
}
