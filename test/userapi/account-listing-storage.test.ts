/** Listing accounts for admins (`listAccounts`) and the admin flag (`setAccountAdmin`), on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openUserStorage, type AccountListQuery, type StoredAccount, type UserStorage } from '../../src/userapi/storage/index.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

describeEachBackend('userapi account listing storage', (ctx) => {
  describe('listAccounts and setAccountAdmin', () => suite(ctx));
});

const T = 1_700_000_000_000;

function account(localpart: string, createdTs: number, over: Partial<StoredAccount> = {}): StoredAccount {
  return { localpart, passwordHash: null, accountType: 'user', isAdmin: false, deactivated: false, appserviceId: null, createdTs, ...over };
}

const DEFAULTS: AccountListQuery = {
  offset: 0,
  limit: 100,
  includeGuests: true,
  includeDeactivated: false,
  includeLocked: false,
  orderBy: 'name',
  descending: false,
};

function suite(ctx: BackendContext): void {
  let s: UserStorage;
  const names = async (q: Partial<AccountListQuery>) => (await s.listAccounts({ ...DEFAULTS, ...q })).accounts.map((a) => a.localpart);

  before(async () => {
    s = await openUserStorage(await ctx.open());
    // Display names share their case so both engines' collations order them alike.
    await s.createAccount(account('ann', T + 3), 'Zed Ann');
    await s.createAccount(account('bob', T + 1, { accountType: 'admin', isAdmin: true }), 'Bob');
    await s.createAccount(account('cat', T + 2, { accountType: 'guest' }), null);
    await s.createAccount(account('dan', T + 4), 'Dan');
    await s.createAccount(account('eve', T + 5), 'Eve 100%_x');
    await s.createAccount(account('fay', T), 'Fay');
    const bob = await s.getProfile('bob');
    assert.ok(await s.replaceProfile('bob', { displayname: 'Bob', avatarUrl: 'mxc://example.org/bob', custom: {} }, bob!.version));
    const seen = (ts: number) => ({ ts, ip: '10.0.0.1', userAgent: 'ua' });
    const base = { displayName: null, accessExpiresTs: null, refreshTokenHash: null };
    await s.openSession({ ...base, localpart: 'ann', deviceId: 'A1', seen: seen(T + 50), accessTokenHash: 'h-a1' });
    await s.openSession({ ...base, localpart: 'ann', deviceId: 'A2', seen: seen(T + 70), accessTokenHash: 'h-a2' });
    await s.openSession({ ...base, localpart: 'fay', deviceId: 'F1', seen: seen(T + 10), accessTokenHash: 'h-f1' });
    await s.deactivateAccount('dan', false);
    assert.ok(await s.setAccountModeration('eve', 'locked', true));
  });

  it('lists active, unlocked accounts by localpart with their profile and last sighting', async () => {
    const page = await s.listAccounts(DEFAULTS);
    assert.equal(page.total, 4);
    assert.deepEqual(page.accounts.map((a) => a.localpart), ['ann', 'bob', 'cat', 'fay']);
    const [ann, bob, cat] = page.accounts;
    assert.deepEqual(
      { name: ann!.displayname, avatar: ann!.avatarUrl, seen: ann!.lastSeenTs, created: ann!.createdTs, admin: ann!.isAdmin },
      { name: 'Zed Ann', avatar: null, seen: T + 70, created: T + 3, admin: false },
    );
    assert.deepEqual({ avatar: bob!.avatarUrl, seen: bob!.lastSeenTs, admin: bob!.isAdmin }, { avatar: 'mxc://example.org/bob', seen: null, admin: true });
    assert.deepEqual({ type: cat!.accountType, name: cat!.displayname }, { type: 'guest', name: null });
  });

  it('includes deactivated and locked accounts only when asked, and excludes guests when asked', async () => {
    assert.deepEqual(await names({ includeDeactivated: true }), ['ann', 'bob', 'cat', 'dan', 'fay']);
    assert.deepEqual(await names({ includeLocked: true }), ['ann', 'bob', 'cat', 'eve', 'fay']);
    assert.deepEqual(await names({ includeGuests: false }), ['ann', 'bob', 'fay']);
    const all = await s.listAccounts({ ...DEFAULTS, includeDeactivated: true, includeLocked: true });
    assert.equal(all.total, 6);
    assert.deepEqual(
      all.accounts.filter((a) => a.deactivated || a.locked).map((a) => [a.localpart, a.deactivated, a.locked]),
      [
        ['dan', true, false],
        ['eve', false, true],
      ],
    );
  });

  it('filters admins and non-admins', async () => {
    assert.deepEqual(await names({ admins: true }), ['bob']);
    assert.deepEqual(await names({ admins: false }), ['ann', 'cat', 'fay']);
  });

  it('pages by offset and limit, counting every match', async () => {
    const page = await s.listAccounts({ ...DEFAULTS, offset: 1, limit: 2 });
    assert.deepEqual(page.accounts.map((a) => a.localpart), ['bob', 'cat']);
    assert.equal(page.total, 4);
    const past = await s.listAccounts({ ...DEFAULTS, offset: 10, limit: 2 });
    assert.deepEqual(past, { accounts: [], total: 4 });
    const filtered = await s.listAccounts({ ...DEFAULTS, limit: 1, admins: false });
    assert.deepEqual([filtered.accounts.map((a) => a.localpart), filtered.total], [['ann'], 3]);
  });

  it('matches localparts or display names ignoring case, with LIKE wildcards taken literally', async () => {
    assert.deepEqual(await names({ nameContains: 'ZED' }), ['ann']);
    assert.deepEqual(await names({ nameContains: 'a' }), ['ann', 'cat', 'fay']);
    const everyone = { includeDeactivated: true, includeLocked: true };
    assert.deepEqual(await names({ ...everyone, nameContains: '%' }), ['eve']);
    assert.deepEqual(await names({ ...everyone, nameContains: '0%_' }), ['eve']);
    assert.deepEqual(await names({ ...everyone, nameContains: '_' }), ['eve']);
    assert.deepEqual(await names({ nameContains: 'nobody' }), []);
  });

  it('matches the full user ID ignoring case', async () => {
    const server = 'example.org';
    assert.deepEqual(await names({ userIdContains: { text: 'B:EX', serverName: server } }), ['bob']);
    assert.deepEqual(await names({ userIdContains: { text: ':example.org', serverName: server } }), ['ann', 'bob', 'cat', 'fay']);
    assert.deepEqual(await names({ userIdContains: { text: '@a', serverName: server } }), ['ann']);
    assert.deepEqual(await names({ userIdContains: { text: 'other.org', serverName: server } }), []);
  });

  it('orders by creation time, admin flag and guest status, ties by localpart', async () => {
    assert.deepEqual(await names({ orderBy: 'creationTs' }), ['fay', 'bob', 'cat', 'ann']);
    assert.deepEqual(await names({ orderBy: 'creationTs', descending: true }), ['ann', 'cat', 'bob', 'fay']);
    assert.deepEqual(await names({ orderBy: 'admin', descending: true }), ['bob', 'ann', 'cat', 'fay']);
    assert.deepEqual(await names({ orderBy: 'guest' }), ['ann', 'bob', 'fay', 'cat']);
    assert.deepEqual(await names({ orderBy: 'name', descending: true }), ['fay', 'cat', 'bob', 'ann']);
    assert.deepEqual(await names({ orderBy: 'deactivated', includeDeactivated: true, descending: true }), ['dan', 'ann', 'bob', 'cat', 'fay']);
    assert.deepEqual(await names({ orderBy: 'locked', includeLocked: true, descending: true }), ['eve', 'ann', 'bob', 'cat', 'fay']);
  });

  it('orders by display name, avatar and last sighting with missing values last going forwards', async () => {
    assert.deepEqual(await names({ orderBy: 'displayname' }), ['bob', 'fay', 'ann', 'cat']);
    assert.deepEqual(await names({ orderBy: 'displayname', descending: true }), ['cat', 'ann', 'fay', 'bob']);
    assert.deepEqual(await names({ orderBy: 'lastSeenTs' }), ['fay', 'ann', 'bob', 'cat']);
    assert.deepEqual(await names({ orderBy: 'lastSeenTs', descending: true }), ['bob', 'cat', 'ann', 'fay']);
    assert.deepEqual(await names({ orderBy: 'avatarUrl' }), ['bob', 'ann', 'cat', 'fay']);
  });

  it('sets the admin flag, moving plain accounts between the user and admin types', async () => {
    await s.createAccount(account('gil', T), null);
    assert.equal(await s.setAccountAdmin('gil', true), true);
    assert.deepEqual(await pick('gil'), { isAdmin: true, accountType: 'admin' });
    assert.equal(await s.setAccountAdmin('gil', false), true);
    assert.deepEqual(await pick('gil'), { isAdmin: false, accountType: 'user' });
    await s.createAccount(account('hal', T, { accountType: 'guest' }), null);
    assert.equal(await s.setAccountAdmin('hal', true), true);
    assert.deepEqual(await pick('hal'), { isAdmin: true, accountType: 'guest' });
    assert.equal(await s.setAccountAdmin('dan', true), true, 'deactivated accounts too');
    assert.equal(await s.setAccountAdmin('nobody', true), false);
  });

  it('re-activates a deactivated account, with an empty profile if erased, back in the directory', async () => {
    const search = (term: string) =>
      s.searchUserDirectory({ searcherId: '@ann:example.org', term, limit: 10, searchAllUsers: true, serverName: 'example.org' });
    await s.createAccount(account('ivy', T), 'Ivy Green');
    assert.deepEqual(await s.reactivateAccount('ivy'), false, 'not deactivated');
    await s.deactivateAccount('ivy', true);
    assert.equal(await s.getProfile('ivy'), undefined);
    assert.deepEqual((await search('ivy')).results, []);
    assert.equal(await s.reactivateAccount('ivy'), true);
    const ivy = await s.getAccount('ivy');
    assert.deepEqual([ivy?.deactivated, ivy?.passwordHash], [false, null]);
    assert.deepEqual(await s.getProfile('ivy'), { displayname: null, avatarUrl: null, custom: {}, version: 0 });
    assert.deepEqual((await search('ivy')).results.map((r) => r.userId), ['@ivy:example.org']);
    await s.createAccount(account('jon', T), 'Jon Kept');
    await s.deactivateAccount('jon', false);
    assert.equal(await s.reactivateAccount('jon'), true);
    assert.equal((await s.getProfile('jon'))?.displayname, 'Jon Kept', 'a profile that was not erased stays');
    assert.deepEqual((await search('kept')).results.map((r) => r.userId), ['@jon:example.org']);
    assert.equal(await s.reactivateAccount('nobody'), false);
  });

  const pick = async (localpart: string) => {
    const a = await s.getAccount(localpart);
    return a && { isAdmin: a.isAdmin, accountType: a.accountType };
  };
}
