/**
 * The user directory's storage on SQLite and PostgreSQL: room changes ordered by stream position
 * (redeliveries are no-ops), whole-room snapshots, and the search: visibility (shared rooms,
 * public rooms, every local user), deactivated users, global vs member-event profiles, word-prefix
 * matching, order and `limited`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { typedDb } from '../../src/internal/sqlutil/database.js';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import { openUserStorage, type DirectoryMember, type DirectorySearch, type StoredAccount, type UserStorage } from '../../src/userapi/storage/index.js';
import { USERAPI_MIGRATIONS } from '../../src/userapi/storage/userapi-migrations.js';
import type { UserapiTables } from '../../src/userapi/storage/userapi-tables.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { openUserapiTestKit, type UserapiTestKit } from './userapi-test-kit.js';

const HS = 'hs.test';
const T0 = 1_700_000_000_000;

function account(localpart: string): StoredAccount {
  return { localpart, passwordHash: null, accountType: 'user', isAdmin: false, deactivated: false, appserviceId: null, createdTs: T0 };
}
const local = (name: string, displayName: string | null = null): DirectoryMember => ({ userId: `@${name}:${HS}`, localpart: name, displayName, avatarUrl: null });
const remote = (userId: string, displayName: string | null, avatarUrl: string | null = null): DirectoryMember => ({ userId, localpart: null, displayName, avatarUrl });

describeEachBackend('user directory storage', (ctx) => {
  // Nested, so this suite's `after` (stopping the bus) runs before the harness closes the database.
  describe('tables', () => suite(ctx));
});

function suite(ctx: BackendContext): void {
  let kit: UserapiTestKit;
  let s: UserStorage;
  let db: Kysely<UserapiTables>;
  before(async () => {
    kit = await openUserapiTestKit(await ctx.open());
    s = kit.storage;
    db = typedDb<UserapiTables>(kit.database);
  });
  after(async () => kit.close());

  /** The user IDs `searcher` finds for `term` (default limit 10). */
  const ids = async (searcher: string, term: string, more: Partial<DirectorySearch> = {}): Promise<string[]> =>
    (await s.searchUserDirectory({ searcherId: `@${searcher}:${HS}`, term, limit: 10, searchAllUsers: false, serverName: HS, ...more })).results.map((r) => r.userId);

  it('orders room changes by stream position and tells unknown rooms apart', async () => {
    assert.equal(await s.getDirectoryRoomPosition('!r0:hs.test'), undefined);
    assert.equal(await s.applyDirectoryRoomChange({ roomId: '!r0:hs.test', streamPosition: 1, joined: [local('x')] }), 'unknown-room');
    assert.equal(await s.applyDirectoryRoomChange({ roomId: '!r0:hs.test', joined: [local('x')] }), 'unknown-room');
    assert.equal(await s.replaceDirectoryRoom({ roomId: '!r0:hs.test', streamPosition: 3, joinRule: 'invite', historyVisibility: 'shared', members: [] }), true);
    assert.equal(await s.getDirectoryRoomPosition('!r0:hs.test'), 3);
    // A snapshot at or before the stored position changes nothing.
    assert.equal(await s.replaceDirectoryRoom({ roomId: '!r0:hs.test', streamPosition: 3, joinRule: 'public', historyVisibility: null, members: [local('x')] }), false);
    assert.equal(await s.applyDirectoryRoomChange({ roomId: '!r0:hs.test', streamPosition: 2, joinRule: 'public' }), 'stale');
    assert.equal(await s.applyDirectoryRoomChange({ roomId: '!r0:hs.test', streamPosition: 3, joinRule: 'public' }), 'stale');
    assert.deepEqual(await db.selectFrom('userapi_directory_rooms').selectAll().where('room_id', '=', '!r0:hs.test').execute(), [
      { room_id: '!r0:hs.test', join_rule: 'invite', history_visibility: 'shared', stream_pos: 3 },
    ]);
    assert.equal(await s.applyDirectoryRoomChange({ roomId: '!r0:hs.test', streamPosition: 4, joinRule: 'public', joined: [local('x')] }), 'applied');
    // Without a position (a redaction) the change applies to a known room whatever its position.
    assert.equal(await s.applyDirectoryRoomChange({ roomId: '!r0:hs.test', historyVisibility: 'joined' }), 'applied');
    assert.deepEqual(await db.selectFrom('userapi_directory_rooms').selectAll().where('room_id', '=', '!r0:hs.test').execute(), [
      { room_id: '!r0:hs.test', join_rule: 'public', history_visibility: 'joined', stream_pos: 4 },
    ]);
    assert.deepEqual(await db.selectFrom('userapi_directory_room_members').selectAll().where('room_id', '=', '!r0:hs.test').execute(), [
      { room_id: '!r0:hs.test', user_id: '@x:hs.test', localpart: 'x' },
    ]);
  });

  it('gives the local users existing before the directory their searchable words', async () => {
    const database = await ctx.open();
    // The schema as it was before the directory: every migration up to it (later ones build on it).
    await runMigrations(database, 'userapi', USERAPI_MIGRATIONS.slice(0, USERAPI_MIGRATIONS.findIndex((m) => m.name === 'user directory')));
    const old = typedDb<UserapiTables>(database);
    await old.insertInto('userapi_accounts').values({ localpart: 'olga', password_hash: null, account_type: 'user', is_admin: 0, deactivated: 0, appservice_id: null, created_ts: T0 }).execute();
    await old.insertInto('userapi_profiles').values({ localpart: 'olga', displayname: 'Ólga Old', avatar_url: 'mxc://hs.test/o', custom: '{}', version: 0 }).execute();
    const storage = await openUserStorage(database);
    assert.deepEqual(await old.selectFrom('userapi_directory_local_users').selectAll().execute(), [{ localpart: 'olga', search_text: ' olga ólga old ', sort_name: 'ólga old' }]);
    const r = await storage.searchUserDirectory({ searcherId: `@x:${HS}`, term: 'ÓLG', limit: 10, searchAllUsers: true, serverName: HS });
    assert.deepEqual(r.results, [{ userId: '@olga:hs.test', displayName: 'Ólga Old', avatarUrl: 'mxc://hs.test/o', sharesRoom: false }]);
  });

  describe('search', () => {
    before(async () => {
      await s.createAccount(account('alice'), 'Alice Liddell');
      await s.createAccount(account('bob'), 'Bobby Tables');
      await s.createAccount(account('carol'), null);
      await s.createAccount(account('dave'), 'Dave');
      await s.createAccount(account('erin'), 'Erin Loner');
      await s.createAccount(account('frank'), 'Frank');
      await s.deactivateAccount('dave', false);
      // A private room: alice, bob (member event names are ignored for local users) and a remote user.
      await s.replaceDirectoryRoom({
        roomId: '!priv:hs.test',
        streamPosition: 5,
        joinRule: 'invite',
        historyVisibility: 'shared',
        members: [local('alice', 'Al'), local('bob', 'Bob in a room'), remote('@rita:remote.test', 'Rita Remote', 'mxc://remote.test/rita')],
      });
      // A public room: carol, dave (deactivated), a remote user with an accented name.
      await s.replaceDirectoryRoom({
        roomId: '!pub:hs.test',
        streamPosition: 7,
        joinRule: 'public',
        historyVisibility: 'shared',
        members: [local('carol'), local('dave'), remote('@elo:remote.test', 'Élodie Dupont')],
      });
      // A private room frank is in alone with a remote user.
      await s.replaceDirectoryRoom({
        roomId: '!other:hs.test',
        streamPosition: 2,
        joinRule: 'knock',
        historyVisibility: 'shared',
        members: [local('frank'), remote('@sam:remote.test', 'Sam')],
      });
    });

    it('finds users sharing a room and users in public rooms, never deactivated ones', async () => {
      const r = await s.searchUserDirectory({ searcherId: `@alice:${HS}`, term: 'rita', limit: 10, searchAllUsers: false, serverName: HS });
      assert.deepEqual(r, {
        results: [{ userId: '@rita:remote.test', displayName: 'Rita Remote', avatarUrl: 'mxc://remote.test/rita', sharesRoom: true }],
        limited: false,
      });
      assert.deepEqual(await ids('alice', 'carol'), ['@carol:hs.test']);
      assert.deepEqual(await ids('alice', 'dave'), [], 'deactivated');
      assert.deepEqual(await ids('alice', 'frank'), [], 'frank shares no room with alice and is in no public room');
      assert.deepEqual(await ids('alice', 'sam'), []);
      assert.deepEqual(await ids('frank', 'sam'), ['@sam:remote.test']);
      assert.deepEqual(await ids('alice', 'erin'), []);
      assert.deepEqual(await ids('alice', 'erin', { searchAllUsers: true }), ['@erin:hs.test']);
      assert.deepEqual(await ids('alice', 'dave', { searchAllUsers: true }), [], 'deactivated, even with search_all_users');
      // search_all_users widens local users only: remote users still need a shared or public room.
      assert.deepEqual(await ids('alice', 'sam', { searchAllUsers: true }), []);
    });

    it('shows local users with their global profile and remote users with their member event', async () => {
      const r = await s.searchUserDirectory({ searcherId: `@alice:${HS}`, term: 'bobby', limit: 10, searchAllUsers: false, serverName: HS });
      assert.deepEqual(r.results, [{ userId: '@bob:hs.test', displayName: 'Bobby Tables', avatarUrl: null, sharesRoom: true }]);
      assert.deepEqual(await ids('alice', 'room'), [], "bob's per-room name is not searched");
      assert.deepEqual(await ids('alice', 'al'), ['@alice:hs.test'], 'the searcher finds themselves; "Al" is only their member-event name');
    });

    it('matches word prefixes of IDs and names, case-insensitively, every term word', async () => {
      assert.deepEqual(await ids('alice', 'LIDD'), ['@alice:hs.test']);
      assert.deepEqual(await ids('alice', 'iddell'), [], 'not a word start');
      assert.deepEqual(await ids('alice', 'ali lid'), ['@alice:hs.test']);
      assert.deepEqual(await ids('alice', 'ali tables'), [], 'every word must match');
      assert.deepEqual(await ids('alice', '@bob:hs.test'), ['@bob:hs.test'], 'a whole local user ID');
      assert.deepEqual(await ids('alice', '@rita:remote.test'), ['@rita:remote.test'], 'a whole remote user ID');
      assert.deepEqual(await ids('alice', 'ÉLO'), ['@elo:remote.test']);
      assert.deepEqual(await ids('alice', 'élodie dup'), ['@elo:remote.test']);
      assert.deepEqual(await ids('alice', ''), []);
      assert.deepEqual(await ids('alice', '%'), [], 'no words: nobody');
      assert.deepEqual(await ids('alice', 'a_'), ['@alice:hs.test'], 'LIKE wildcards are only separators');
    });

    it('orders shared-room users first, then by display name (else localpart), and cuts at the limit', async () => {
      // Every local user matches the server's words; remote users match "remote".
      assert.deepEqual(await ids('alice', 'hs'), ['@alice:hs.test', '@bob:hs.test', '@carol:hs.test']);
      assert.deepEqual(await ids('alice', 'remote'), ['@rita:remote.test', '@elo:remote.test']);
      assert.deepEqual(await ids('frank', 'remote'), ['@sam:remote.test', '@elo:remote.test'], 'frank shares a room with sam; elo is in a public room');
      const cut = await s.searchUserDirectory({ searcherId: `@alice:${HS}`, term: 'hs', limit: 2, searchAllUsers: false, serverName: HS });
      assert.deepEqual([cut.results.map((r) => r.userId), cut.limited], [['@alice:hs.test', '@bob:hs.test'], true]);
      const exact = await s.searchUserDirectory({ searcherId: `@alice:${HS}`, term: 'hs', limit: 3, searchAllUsers: false, serverName: HS });
      assert.equal(exact.limited, false);
      const none = await s.searchUserDirectory({ searcherId: `@alice:${HS}`, term: 'hs', limit: 0, searchAllUsers: false, serverName: HS });
      assert.deepEqual([none.results, none.limited], [[], true]);
      // With every local user: alice and bob share a room; then Carol (localpart), Erin Loner, Frank.
      assert.deepEqual(await ids('alice', 'hs', { searchAllUsers: true }), ['@alice:hs.test', '@bob:hs.test', '@carol:hs.test', '@erin:hs.test', '@frank:hs.test']);
    });

    it('follows profile changes of local users', async () => {
      const profile = await s.getProfile('carol');
      assert.ok(await s.replaceProfile('carol', { ...profile!, displayname: 'Caroline Zed' }, profile!.version));
      assert.deepEqual(await ids('alice', 'zed'), ['@carol:hs.test']);
      const r = await s.searchUserDirectory({ searcherId: `@alice:${HS}`, term: 'caroline', limit: 10, searchAllUsers: false, serverName: HS });
      assert.equal(r.results[0]?.displayName, 'Caroline Zed');
    });

    it('follows joins, leaves and rule changes, and forgets remote users in no room', async () => {
      assert.equal(await s.applyDirectoryRoomChange({ roomId: '!priv:hs.test', streamPosition: 6, left: ['@bob:hs.test'] }), 'applied');
      assert.deepEqual(await ids('alice', 'bobby'), []);
      assert.equal(await s.applyDirectoryRoomChange({ roomId: '!priv:hs.test', streamPosition: 6, joined: [local('bob')] }), 'stale', 'a redelivery');
      assert.deepEqual(await ids('alice', 'bobby'), []);
      // The private room becomes world-readable: its members are visible to everyone.
      assert.deepEqual(await ids('carol', 'rita'), []);
      assert.equal(await s.applyDirectoryRoomChange({ roomId: '!priv:hs.test', streamPosition: 8, historyVisibility: 'world_readable' }), 'applied');
      assert.deepEqual(await ids('carol', 'rita'), ['@rita:remote.test']);
      // A new join with another profile replaces the remote user's profile.
      assert.equal(await s.applyDirectoryRoomChange({ roomId: '!other:hs.test', streamPosition: 3, joined: [remote('@rita:remote.test', 'Rita Again')] }), 'applied');
      assert.deepEqual(await ids('frank', 'again'), ['@rita:remote.test']);
      // Sam leaves his only room: his profile goes; Rita stays in two rooms.
      assert.equal(await s.applyDirectoryRoomChange({ roomId: '!other:hs.test', streamPosition: 4, left: ['@sam:remote.test', '@rita:remote.test'] }), 'applied');
      const remotes = await db.selectFrom('userapi_directory_remote_users').select('user_id').orderBy('user_id').execute();
      assert.deepEqual(remotes.map((r) => r.user_id), ['@elo:remote.test', '@rita:remote.test']);
      // A snapshot replaces the room's members (elo is gone, frank arrives).
      assert.equal(await s.replaceDirectoryRoom({ roomId: '!pub:hs.test', streamPosition: 9, joinRule: 'public', historyVisibility: 'shared', members: [local('carol'), local('frank')] }), true);
      assert.deepEqual(await ids('alice', 'élodie'), []);
      assert.deepEqual(await ids('alice', 'frank'), ['@frank:hs.test']);
      assert.equal((await db.selectFrom('userapi_directory_remote_users').select('user_id').where('user_id', '=', '@elo:remote.test').execute()).length, 0);
    });

    it('drops an erased user from the directory', async () => {
      await s.deactivateAccount('frank', true);
      assert.deepEqual(await ids('alice', 'frank', { searchAllUsers: true }), []);
      assert.equal((await db.selectFrom('userapi_directory_local_users').select('localpart').where('localpart', '=', 'frank').execute()).length, 0);
    });
  });
}
