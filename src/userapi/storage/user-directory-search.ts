/**
 * Searching the user directory. A user is visible to the searcher when they are joined to a room
 * the searcher is joined to, or to a public room (join rule `public` or history visibility
 * `world_readable`), or — with `searchAllUsers` — when they are any local user. Deactivated
 * local users are never found. Local users show their global profile, remote users the profile
 * of their latest join event.
 *
 * Order: users sharing a room with the searcher first, then by display name (folded; the
 * localpart for users without one), then by user ID. Local and remote users are two queries
 * (their profiles live in different tables), each cut at `limit + 1` rows and merged here.
 */
import { sql, type Kysely } from 'kysely';
import { termWords, unmatchedWords, wordPattern } from './directory-search-text.js';
import type { UserapiTables } from './userapi-tables.js';

/** One search of the directory. */
export interface DirectorySearch {
  /** The local user searching. */
  readonly searcherId: string;
  /** What they typed; its words are matched as word prefixes. */
  readonly term: string;
  /** Results wanted; one more is read to tell whether the list is `limited`. */
  readonly limit: number;
  /** Every local user is visible, not only those in shared or public rooms. */
  readonly searchAllUsers: boolean;
  /** This server's name: local user IDs are built from it, and its words match local users. */
  readonly serverName: string;
}

/** A user found. */
export interface DirectoryEntry {
  readonly userId: string;
  /** Local users: the global profile's; remote users: their latest join event's. */
  readonly displayName: string | null;
  readonly avatarUrl: string | null;
  /** The user is joined to a room the searcher is joined to. */
  readonly sharesRoom: boolean;
}

/** What a search found. */
export interface DirectorySearchResult {
  /** At most `limit` users, in the order of the file comment. */
  readonly results: DirectoryEntry[];
  /** More users matched than `limit`. */
  readonly limited: boolean;
}

type Db = Kysely<UserapiTables>;
interface Found extends DirectoryEntry {
  readonly sortName: string;
}

/** Runs `search` (see the file comment). A term without letters or digits finds nobody. */
export async function searchUserDirectory(db: Db, search: DirectorySearch): Promise<DirectorySearchResult> {
  const words = termWords(search.term);
  const limit = Math.max(0, search.limit);
  if (words.length === 0) return { results: [], limited: false };
  const [local, remote] = await Promise.all([searchLocal(db, search, words, limit + 1), searchRemote(db, search, words, limit + 1)]);
  const merged = [...local, ...remote].sort(compareFound);
  return {
    results: merged.slice(0, limit).map((f) => ({ userId: f.userId, displayName: f.displayName, avatarUrl: f.avatarUrl, sharesRoom: f.sharesRoom })),
    limited: merged.length > limit,
  };
}

async function searchLocal(db: Db, s: DirectorySearch, words: readonly string[], n: number): Promise<Found[]> {
  // Words the server name already matches hold for every local user.
  const remaining = unmatchedWords(words, s.serverName);
  let q = db
    .selectFrom('userapi_directory_local_users as d')
    .innerJoin('userapi_accounts as a', 'a.localpart', 'd.localpart')
    .leftJoin('userapi_profiles as p', 'p.localpart', 'd.localpart')
    .select(['d.localpart', 'd.sort_name', 'p.displayname', 'p.avatar_url'])
    .select((eb) => sql<number>`CASE WHEN ${eb.exists(sharesRoom(db, s.searcherId, 'localpart', 'd.localpart'))} THEN 1 ELSE 0 END`.as('shared'))
    .where('a.deactivated', '=', 0);
  for (const w of remaining) q = q.where('d.search_text', 'like', wordPattern(w));
  if (!s.searchAllUsers) {
    q = q.where((eb) => eb.or([eb.exists(sharesRoom(db, s.searcherId, 'localpart', 'd.localpart')), eb.exists(inPublicRoom(db, 'localpart', 'd.localpart'))]));
  }
  const rows = await q.orderBy('shared', 'desc').orderBy('d.sort_name').orderBy('d.localpart').limit(n).execute();
  return rows.map((r) => ({
    userId: `@${r.localpart}:${s.serverName}`,
    displayName: r.displayname,
    avatarUrl: r.avatar_url,
    sharesRoom: Number(r.shared) === 1,
    sortName: r.sort_name,
  }));
}

async function searchRemote(db: Db, s: DirectorySearch, words: readonly string[], n: number): Promise<Found[]> {
  let q = db
    .selectFrom('userapi_directory_remote_users as d')
    .select(['d.user_id', 'd.sort_name', 'd.display_name', 'd.avatar_url'])
    .select((eb) => sql<number>`CASE WHEN ${eb.exists(sharesRoom(db, s.searcherId, 'user_id', 'd.user_id'))} THEN 1 ELSE 0 END`.as('shared'));
  for (const w of words) q = q.where('d.search_text', 'like', wordPattern(w));
  q = q.where((eb) => eb.or([eb.exists(sharesRoom(db, s.searcherId, 'user_id', 'd.user_id')), eb.exists(inPublicRoom(db, 'user_id', 'd.user_id'))]));
  const rows = await q.orderBy('shared', 'desc').orderBy('d.sort_name').orderBy('d.user_id').limit(n).execute();
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    avatarUrl: r.avatar_url,
    sharesRoom: Number(r.shared) === 1,
    sortName: r.sort_name,
  }));
}

type MemberColumn = 'localpart' | 'user_id';

/**
 * Rooms joined by the user of the outer query (its column `outer`, matched on the members
 * table's `column`) that the searcher is joined to as well: non-empty when they share a room.
 */
function sharesRoom(db: Db, searcherId: string, column: MemberColumn, outer: string) {
  const searcherRooms = db.selectFrom('userapi_directory_room_members as s').select('s.room_id').where('s.user_id', '=', searcherId);
  return db
    .selectFrom('userapi_directory_room_members as o')
    .select(sql.lit(1).as('one'))
    .where(`o.${column}`, '=', sql<string>`${sql.ref(outer)}`)
    .where('o.room_id', 'in', searcherRooms);
}

/** Rooms anyone may join or read that the outer query's user is joined to. */
function inPublicRoom(db: Db, column: MemberColumn, outer: string) {
  return db
    .selectFrom('userapi_directory_room_members as o')
    .innerJoin('userapi_directory_rooms as r', 'r.room_id', 'o.room_id')
    .select(sql.lit(1).as('one'))
    .where(`o.${column}`, '=', sql<string>`${sql.ref(outer)}`)
    .where((e) => e.or([e('r.join_rule', '=', 'public'), e('r.history_visibility', '=', 'world_readable')]));
}

function compareFound(a: Found, b: Found): number {
  if (a.sharesRoom !== b.sharesRoom) return a.sharesRoom ? -1 : 1;
  if (a.sortName !== b.sortName) return a.sortName < b.sortName ? -1 : 1;
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}
