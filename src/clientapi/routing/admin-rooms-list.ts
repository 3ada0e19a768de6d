/**
 * `GET /_synapse/admin/v1/rooms`: every room with current state, a page at a time, sorted and
 * searched as Synapse does, so admin tools written for Synapse list Axon's rooms.
 *
 * Paging is Synapse's: `from` is an offset, `next_batch` the offset of the next page (present
 * while `from + limit < total_rooms`) and `prev_batch` that of the previous one. Ordering follows
 * Synapse's SQL: each order has its own direction (sizes largest first, text A→Z), `dir=b`
 * reverses it, ties go by room ID in the same direction, and a missing value sorts as
 * PostgreSQL puts NULL (after everything ascending, before everything descending).
 */
import Type, { type Static } from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { RoomListingEntry } from '../../roomserver/api.js';
import { adminRoomStats, loadAdminRoomSources, type AdminRoomStats } from './admin-room-stats.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** One of Synapse's orders: the field it sorts on, its natural direction, and whether it needs the rooms' state. */
interface RoomOrder {
  readonly field: keyof AdminRoomStats;
  readonly ascending: boolean;
  readonly fromState: boolean;
}

const text = (field: keyof AdminRoomStats): RoomOrder => ({ field, ascending: true, fromState: true });

/** Synapse's `order_by` values (`alphabetical` and `size` are its deprecated spellings). */
const ORDERS: Readonly<Record<string, RoomOrder>> = {
  alphabetical: text('name'),
  size: { field: 'joined_members', ascending: false, fromState: false },
  name: text('name'),
  canonical_alias: text('canonical_alias'),
  joined_members: { field: 'joined_members', ascending: false, fromState: false },
  joined_local_members: { field: 'joined_local_members', ascending: false, fromState: false },
  version: { field: 'version', ascending: false, fromState: false },
  creator: text('creator'),
  encryption: text('encryption'),
  federatable: text('federatable'),
  public: { field: 'public', ascending: true, fromState: false },
  join_rules: text('join_rules'),
  guest_access: text('guest_access'),
  history_visibility: text('history_visibility'),
  state_events: { field: 'state_events', ascending: false, fromState: true },
};

/** The listing's own fields, the ones sortable before any state is read. */
const LISTING_FIELDS: Partial<Record<keyof AdminRoomStats, (e: RoomListingEntry) => string | number | boolean>> = {
  joined_members: (e) => e.joinedMembers,
  joined_local_members: (e) => e.joinedLocalMembers,
  version: (e) => e.roomVersion,
  public: (e) => e.published,
};

const Query = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  order_by: Type.Optional(Type.String()),
  dir: Type.Optional(Type.String()),
  search_term: Type.Optional(Type.String()),
  public_rooms: Type.Optional(Type.Boolean()),
  empty_rooms: Type.Optional(Type.Boolean()),
});

type SortValue = string | number | boolean | null;

/** SQL order of two values, NULL last (PostgreSQL's ascending order); strings by code point. */
function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Sorts `items` by `key`, then by room ID, both ascending or both descending. */
function sortBy<T>(items: T[], key: (item: T) => SortValue, roomId: (item: T) => string, ascending: boolean): T[] {
  const sign = ascending ? 1 : -1;
  return items.sort((x, y) => sign * (compareValues(key(x), key(y)) || compareValues(roomId(x), roomId(y))));
}

/**
 * Synapse's search: the term in the name (any case), in the localpart of the canonical alias
 * (any case), or equal to the room ID.
 */
function matchesSearch(room: AdminRoomStats, term: string): boolean {
  const lower = term.toLowerCase();
  if (room.name?.toLowerCase().includes(lower) === true) return true;
  const alias = room.canonical_alias?.toLowerCase();
  if (alias !== undefined && alias.startsWith('#')) {
    const colon = alias.lastIndexOf(':');
    if (colon > 0 && alias.slice(1, colon).includes(lower)) return true;
  }
  return room.room_id === term;
}

function orderOf(orderBy: string | undefined, dir: string | undefined): { order: RoomOrder; ascending: boolean } {
  const order = ORDERS[orderBy ?? 'name'];
  if (order === undefined) throw MatrixError.invalidParam(`Query parameter "order_by" must be one of [${Object.keys(ORDERS).join(', ')}]`);
  if (dir !== undefined && dir !== 'f' && dir !== 'b') throw MatrixError.invalidParam('Query parameter "dir" must be one of [f, b]');
  return { order, ascending: dir === 'b' ? !order.ascending : order.ascending };
}

/** The page of rooms, and how many matched. */
async function selectRooms(deps: ClientRouteDeps, query: Static<typeof Query>, offset: number, limit: number): Promise<{ rooms: AdminRoomStats[]; total: number }> {
  const { order, ascending } = orderOf(query.order_by, query.dir);
  const { rooms: listed } = await deps.roomserverApi.queryRoomListing({});
  const entries = listed.filter(
    (e) => (query.public_rooms === undefined || e.published === query.public_rooms) && (query.empty_rooms === undefined || (e.joinedMembers === 0) === query.empty_rooms),
  );
  const listingKey = LISTING_FIELDS[order.field];
  if (query.search_term === undefined && listingKey !== undefined) {
    // Sorted without state: only the page's rooms are read.
    const page = sortBy(entries, listingKey, (e) => e.roomId, ascending).slice(offset, offset + limit);
    return { rooms: (await loadAdminRoomSources(deps.roomserverApi, page)).map(adminRoomStats), total: entries.length };
  }
  const term = query.search_term;
  const all = (await loadAdminRoomSources(deps.roomserverApi, entries)).map(adminRoomStats).filter((r) => term === undefined || matchesSearch(r, term));
  const sorted = sortBy(all, (r) => r[order.field], (r) => r.room_id, ascending);
  return { rooms: sorted.slice(offset, offset + limit), total: all.length };
}

/** The list route. */
export function adminRoomsListRoute(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_synapse/admin/v1/rooms',
    auth: 'admin',
    rateLimit: 'none',
    schema: { query: Query },
    handler: async ({ query }) => {
      if (query.search_term === '') throw MatrixError.invalidParam('search_term cannot be an empty string');
      const offset = query.from ?? 0;
      const limit = query.limit ?? 100;
      const { rooms, total } = await selectRooms(deps, query, offset, limit);
      return {
        rooms,
        offset,
        total_rooms: total,
        ...(offset + limit < total ? { next_batch: offset + limit } : {}),
        ...(offset > 0 ? { prev_batch: offset > limit ? offset - limit : 0 } : {}),
      };
    },
  });
}
