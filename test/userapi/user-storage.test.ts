/** The userapi storage suite, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import type { StoredAccount, UserStorage } from '../../src/userapi/storage/index.js';
import { USERAPI_MIGRATIONS } from '../../src/userapi/storage/userapi-migrations.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { openUserapiTestKit, type UserapiTestKit } from './userapi-test-kit.js';

const T0 = 1_700_000_000_000;

function account(localpart: string, over: Partial<StoredAccount> = {}): StoredAccount {
  return {
    localpart,
    passwordHash: '$argon2id$fake',
    accountType: 'user',
    isAdmin: false,
    deactivated: false,
    appserviceId: null,
    createdTs: T0,
    ...over,
  };
}

async function session(s: UserStorage, localpart: string, deviceId: string, token: string, refresh: string | null = null) {
  await s.openSession({
    localpart,
    deviceId,
    displayName: `${deviceId} name`,
    seen: { ts: T0, ip: '10.0.0.1', userAgent: 'ua' },
    accessTokenHash: token,
    accessExpiresTs: refresh ? T0 + 300_000 : null,
    refreshTokenHash: refresh,
  });
}

describeEachBackend('userapi storage', (ctx) => {
  // Nested, so this suite's `after` (stopping the bus) runs before the harness closes the database.
  describe('tables', () => suite(ctx));
});

function suite(ctx: BackendContext): void {
  let kit: UserapiTestKit;
  let s: UserStorage;
  before(async () => {
    kit = await openUserapiTestKit(await ctx.open());
    s = kit.storage;
  });
  after(async () => kit.close());

  it('migrates once', async () => {
    assert.deepEqual(await runMigrations(kit.database, 'userapi', USERAPI_MIGRATIONS), []);
  });

  it('creates an account once, with its profile', async () => {
    assert.equal(await s.createAccount(account('alice', { isAdmin: true, accountType: 'admin' }), 'Alice'), true);
    assert.equal(await s.createAccount(account('alice'), 'Other'), false);
    assert.deepEqual(await s.getAccount('alice'), { ...account('alice', { isAdmin: true, accountType: 'admin' }), locked: false, suspended: false });
    const profile = await s.getProfile('alice');
    assert.deepEqual(profile, { displayname: 'Alice', avatarUrl: null, custom: {}, version: 0 });
    assert.equal(await s.getAccount('nobody'), undefined);
  });

  it('keeps appservice IDs and null password hashes', async () => {
    await s.createAccount(account('bridge_bot', { passwordHash: null, accountType: 'appservice', appserviceId: 'irc' }), null);
    const a = await s.getAccount('bridge_bot');
    assert.equal(a?.passwordHash, null);
    assert.equal(a?.appserviceId, 'irc');
    assert.equal((await s.getProfile('bridge_bot'))?.displayname, null);
  });

  it('opens sessions: a reused device keeps its name and loses its old tokens', async () => {
    await s.createAccount(account('sess'), null);
    await session(s, 'sess', 'DEV1', 'hash-a1');
    const first = await s.findAccessToken('hash-a1');
    assert.deepEqual(first, {
      localpart: 'sess',
      deviceId: 'DEV1',
      expiresTs: null,
      accountType: 'user',
      isAdmin: false,
      appserviceId: null,
      deactivated: false,
      locked: false,
      suspended: false,
      replacesRefreshId: null,
    });
    await s.openSession({
      localpart: 'sess',
      deviceId: 'DEV1',
      displayName: 'renamed?',
      seen: { ts: T0 + 5, ip: null, userAgent: null },
      accessTokenHash: 'hash-a2',
      accessExpiresTs: null,
      refreshTokenHash: null,
    });
    assert.equal(await s.findAccessToken('hash-a1'), undefined);
    assert.equal((await s.findAccessToken('hash-a2'))?.deviceId, 'DEV1');
    const [dev] = await s.getDevices('sess');
    assert.deepEqual(dev, { deviceId: 'DEV1', displayName: 'DEV1 name', lastSeenTs: T0 + 5, lastSeenIp: '10.0.0.1', lastSeenUserAgent: 'ua' });
  });

  it('rotates refresh tokens as the spec describes', async () => {
    await s.createAccount(account('rot'), null);
    await session(s, 'rot', 'D', 'A1', 'R1');
    const next = (a: string, r: string) => ({ accessTokenHash: a, accessExpiresTs: T0 + 600_000, refreshTokenHash: r, now: T0 + 1 });
    assert.deepEqual(await s.rotateRefreshToken('R1', next('A2', 'R2')), { localpart: 'rot', deviceId: 'D' });
    // The client may not have received A2/R2: R1 still works and replaces them.
    assert.deepEqual(await s.rotateRefreshToken('R1', next('A2b', 'R2b')), { localpart: 'rot', deviceId: 'D' });
    assert.equal(await s.findAccessToken('A2'), undefined, 'the abandoned successor is gone');
    assert.equal(await s.rotateRefreshToken('R2', next('x', 'y')), undefined);
    assert.ok(await s.findAccessToken('A1'), 'the old access token lives until the new one is used');
    // First use of A2b retires R1 and A1.
    const a2b = await s.findAccessToken('A2b');
    assert.equal(a2b?.expiresTs, T0 + 600_000);
    assert.equal(await s.findAccessToken('A1'), undefined);
    assert.equal(await s.rotateRefreshToken('R1', next('A3', 'R3')), undefined, 'R1 is single use once its successor is used');
    assert.equal((await s.findAccessToken('A2b'))?.replacesRefreshId, null);
    // Refreshing with R2b, then with its successor R3, retires R2b (and A2b).
    assert.ok(await s.rotateRefreshToken('R2b', next('A3', 'R3')));
    assert.ok(await s.rotateRefreshToken('R3', next('A4', 'R4')));
    assert.equal(await s.rotateRefreshToken('R2b', next('A5', 'R5')), undefined, 'R2b is retired once R3 was used');
    assert.equal(await s.findAccessToken('A2b'), undefined);
  });

  it('deletes devices with their tokens', async () => {
    await s.createAccount(account('devs'), null);
    for (const d of ['A', 'B', 'C', 'D']) await session(s, 'devs', d, `tok-devs-${d}`, `ref-devs-${d}`);
    assert.deepEqual(await s.deleteDevices('devs', ['A', 'NOPE']), ['A']);
    assert.equal(await s.findAccessToken('tok-devs-A'), undefined);
    assert.equal(await s.rotateRefreshToken('ref-devs-A', { accessTokenHash: 'q', accessExpiresTs: 1, refreshTokenHash: 'r', now: 1 }), undefined);
    assert.deepEqual(await s.deleteDevices('devs', undefined, 'C'), ['B', 'D']);
    assert.deepEqual((await s.getDevices('devs')).map((d) => d.deviceId), ['C']);
    assert.deepEqual(await s.deleteDevices('devs', []), []);
    assert.ok(await s.findAccessToken('tok-devs-C'));
  });

  it('renames devices and records sightings', async () => {
    await s.createAccount(account('names'), null);
    await session(s, 'names', 'X', 'tok-names');
    assert.equal(await s.setDeviceDisplayName('names', 'X', 'Phone'), true);
    assert.equal(await s.setDeviceDisplayName('names', 'Y', 'Phone'), false);
    await s.recordLastSeen('names', 'X', { ts: T0 + 99, ip: '::1', userAgent: null });
    assert.deepEqual(await s.getDevices('names', ['X', 'Y']), [
      { deviceId: 'X', displayName: 'Phone', lastSeenTs: T0 + 99, lastSeenIp: '::1', lastSeenUserAgent: null },
    ]);
  });

  it('changes a password, optionally logging out all devices but one', async () => {
    await s.createAccount(account('pw'), null);
    for (const d of ['K', 'L', 'M']) await session(s, 'pw', d, `tok-pw-${d}`);
    assert.deepEqual(await s.setPasswordHash('pw', 'h2'), []);
    assert.equal((await s.getAccount('pw'))?.passwordHash, 'h2');
    assert.deepEqual(await s.setPasswordHash('pw', 'h3', { exceptDeviceId: 'L' }), ['K', 'M']);
    assert.equal(await s.findAccessToken('tok-pw-K'), undefined);
    assert.ok(await s.findAccessToken('tok-pw-L'));
    assert.equal(await s.setPasswordHash('nobody', 'h'), undefined);
  });

  it('deactivates: password, devices, tokens and login tokens go; erase drops the profile', async () => {
    await s.createAccount(account('gone'), 'Gone');
    await session(s, 'gone', 'G', 'tok-gone', 'ref-gone');
    await s.addLoginToken('lt-gone', 'gone', T0, T0 + 60_000);
    await s.putAccountData({ localpart: 'gone', userId: '@gone:test', roomId: null, type: 'm.direct', content: {} });
    assert.deepEqual(await s.deactivateAccount('gone', false), ['G']);
    assert.deepEqual(await s.getAccountData('gone', { roomId: undefined, since: 0 }), []);
    const a = await s.getAccount('gone');
    assert.equal(a?.deactivated, true);
    assert.equal(a?.passwordHash, null);
    assert.equal(await s.findAccessToken('tok-gone'), undefined);
    assert.equal(await s.takeLoginToken('lt-gone', T0), undefined);
    assert.ok(await s.getProfile('gone'), 'kept without erase');
    assert.deepEqual(await s.deactivateAccount('gone', true), []);
    assert.equal(await s.getProfile('gone'), undefined);
    assert.equal(await s.deactivateAccount('nobody', true), undefined);
  });

  it('login tokens are single use and expire', async () => {
    await s.addLoginToken('lt1', 'alice', T0, T0 + 1000);
    assert.equal(await s.takeLoginToken('lt1', T0 + 999), 'alice');
    assert.equal(await s.takeLoginToken('lt1', T0 + 999), undefined);
    await s.addLoginToken('lt2', 'alice', T0, T0 + 1000);
    assert.equal(await s.takeLoginToken('lt2', T0 + 1000), undefined, 'expired');
    await s.addLoginToken('lt3', 'alice', T0, T0 + 1000);
    await s.addLoginToken('lt4', 'alice', T0 + 2000, T0 + 3000); // purges lt3
    assert.equal(await s.takeLoginToken('lt3', T0), undefined, 'purged once expired');
  });

  it('nonces are single use and expire', async () => {
    await s.addNonce('n1', T0 + 60_000, T0);
    assert.equal(await s.takeNonce('n1', T0 + 1), true);
    assert.equal(await s.takeNonce('n1', T0 + 1), false);
    await s.addNonce('n2', T0 + 60_000, T0);
    assert.equal(await s.takeNonce('n2', T0 + 60_000), false);
    assert.equal(await s.takeNonce('never', T0), false);
  });

  it('replaces profiles by compare-and-set on their version', async () => {
    await s.createAccount(account('prof'), 'P');
    const p = await s.getProfile('prof');
    assert.ok(p);
    assert.equal(await s.replaceProfile('prof', { displayname: 'Q', avatarUrl: 'mxc://x/y', custom: { 'm.tz': 'Europe/Paris' } }, p.version), true);
    assert.equal(await s.replaceProfile('prof', { displayname: 'lost', avatarUrl: null, custom: {} }, p.version), false);
    assert.deepEqual(await s.getProfile('prof'), { displayname: 'Q', avatarUrl: 'mxc://x/y', custom: { 'm.tz': 'Europe/Paris' }, version: 1 });
  });

  it('numbers account data per user, announces every change, and reports deletions to incremental reads', async () => {
    const before = kit.published.length;
    const put = (localpart: string, roomId: string | null, type: string, content: Record<string, unknown> | null) =>
      s.putAccountData({ localpart, userId: `@${localpart}:test`, roomId, type, content });
    assert.equal(await put('ad', null, 'm.direct', { '@b:test': ['!r:test'] }), 1);
    assert.equal(await put('ad', '!r:test', 'm.tag', { tags: {} }), 2);
    assert.equal(await put('ad2', null, 'm.direct', {}), 1, 'positions are per user');
    assert.equal(await put('ad', null, 'm.direct', { changed: true }), 3);
    assert.equal(await put('ad', null, 'x.gone', { a: 1 }), 4);
    assert.equal(await put('ad', null, 'x.gone', null), 5);
    assert.equal(await s.getAccountDataPosition('ad'), 5);
    assert.equal(await s.getAccountDataPosition('nobody'), 0);

    assert.deepEqual(await s.getAccountData('ad', { roomId: null }), [{ roomId: null, type: 'm.direct', content: { changed: true }, streamPosition: 3 }]);
    assert.deepEqual((await s.getAccountData('ad', { roomId: undefined })).map((e) => e.type), ['m.tag', 'm.direct']);
    assert.deepEqual(await s.getAccountData('ad', { roomId: '!r:test', type: 'm.tag' }), [
      { roomId: '!r:test', type: 'm.tag', content: { tags: {} }, streamPosition: 2 },
    ]);
    assert.deepEqual(await s.getAccountData('ad', { roomId: undefined, since: 2 }), [
      { roomId: null, type: 'm.direct', content: { changed: true }, streamPosition: 3 },
      { roomId: null, type: 'x.gone', content: null, streamPosition: 5 },
    ]);

    await kit.waitForPublished(before + 6);
    const mine = kit.published.slice(before).filter((m) => m.userId === '@ad:test');
    assert.deepEqual(
      mine.map((m) => [m.roomId, m.dataType, m.streamPosition]),
      [
        [null, 'm.direct', 1],
        ['!r:test', 'm.tag', 2],
        [null, 'm.direct', 3],
        [null, 'x.gone', 4],
        [null, 'x.gone', 5],
      ],
    );
    assert.equal(mine[0]?.type, 'account_data');
  });

  it('writes account data by compare-and-set on the entry position, announcing nothing on a conflict', async () => {
    const w = (content: Record<string, unknown>, expectedPosition: number | null) =>
      s.putAccountData({ localpart: 'cas', userId: '@cas:test', roomId: null, type: 'm.push_rules', content, expectedPosition });
    assert.equal(await w({ v: 1 }, 5), undefined, 'it does not exist yet');
    assert.equal(await w({ v: 1 }, null), 1);
    assert.equal(await w({ v: 2 }, null), undefined);
    assert.equal(await w({ v: 2 }, 1), 2);
    assert.equal(await s.getAccountDataPosition('cas'), 2, 'failed attempts take no position');
  });

  it('keeps concurrent account-data writes of one user in distinct, gap-free positions', async () => {
    const positions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => s.putAccountData({ localpart: 'conc', userId: '@conc:test', roomId: null, type: `t.${i}`, content: { i } })),
    );
    assert.deepEqual([...positions].sort((a, b) => (a ?? 0) - (b ?? 0)), Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('manages registration tokens with Synapse semantics', async () => {
    const tok = (token: string, usesAllowed: number | null, expiryTime: number | null = null) => ({ token, usesAllowed, pending: 0, completed: 0, expiryTime });
    assert.equal(await s.createRegistrationToken(tok('once', 1)), true);
    assert.equal(await s.createRegistrationToken(tok('once', 5)), false);
    await s.createRegistrationToken(tok('unlimited', null));
    await s.createRegistrationToken(tok('expired', null, T0 - 1));
    await s.createRegistrationToken(tok('zero', 0));

    assert.equal(await s.reserveRegistrationToken('once', T0), 'reserved');
    assert.equal(await s.reserveRegistrationToken('once', T0), 'invalid', 'its one use is pending');
    assert.equal(await s.reserveRegistrationToken('expired', T0), 'invalid');
    assert.equal(await s.reserveRegistrationToken('zero', T0), 'invalid');
    assert.equal(await s.reserveRegistrationToken('missing', T0), 'invalid');
    await s.completeRegistrationToken('once');
    assert.deepEqual(await s.getRegistrationToken('once'), { ...tok('once', 1), completed: 1 });

    assert.deepEqual((await s.listRegistrationTokens(true, T0)).map((t) => t.token), ['unlimited']);
    assert.deepEqual((await s.listRegistrationTokens(false, T0)).map((t) => t.token), ['expired', 'once', 'zero']);
    assert.deepEqual((await s.listRegistrationTokens(undefined, T0)).map((t) => t.token), ['expired', 'once', 'unlimited', 'zero']);

    assert.equal(await s.updateRegistrationToken('once', { usesAllowed: 2 }), true);
    assert.equal(await s.reserveRegistrationToken('once', T0), 'reserved');
    assert.equal(await s.updateRegistrationToken('expired', { expiryTime: null }), true);
    assert.equal((await s.getRegistrationToken('expired'))?.expiryTime, null);
    assert.equal(await s.updateRegistrationToken('missing', { usesAllowed: 1 }), false);
    assert.equal(await s.updateRegistrationToken('zero', {}), true);
    assert.equal(await s.deleteRegistrationToken('zero'), true);
    assert.equal(await s.deleteRegistrationToken('zero'), false);
  });

  it('never lets racing reservations exceed uses_allowed', async () => {
    await s.createRegistrationToken({ token: 'race', usesAllowed: 3, pending: 0, completed: 0, expiryTime: null });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => s.reserveRegistrationToken('race', T0)));
    assert.equal(outcomes.filter((o) => o === 'reserved').length, 3);
    assert.equal((await s.getRegistrationToken('race'))?.pending, 3);
  });

  it('keeps UIA sessions, updates them by compare-and-set and expires them', async () => {
    await s.createUiaSession({ sessionId: 'S1', completed: [], params: { a: 1 }, createdTs: T0 }, 0);
    const got = await s.getUiaSession('S1', T0 - 1);
    assert.deepEqual(got, { sessionId: 'S1', completed: [], params: { a: 1 }, createdTs: T0, version: 0, registrationToken: null });
    assert.equal(await s.updateUiaSession('S1', { completed: ['m.login.dummy'], params: { a: 2 } }, 0), true);
    assert.equal(await s.updateUiaSession('S1', { completed: [], params: {} }, 0), false);
    assert.deepEqual((await s.getUiaSession('S1', T0 - 1))?.completed, ['m.login.dummy']);
    assert.equal(await s.getUiaSession('S1', T0), undefined, 'created at or before notBefore counts as expired');
    await s.deleteUiaSession('S1');
    assert.equal(await s.getUiaSession('S1', 0), undefined);
  });

  it('gives back token uses of UIA sessions deleted or expired before the registration completed', async () => {
    await s.createRegistrationToken({ token: 'held', usesAllowed: 2, pending: 0, completed: 0, expiryTime: null });
    await s.createUiaSession({ sessionId: 'U1', completed: [], params: {}, createdTs: T0 }, 0);
    await s.createUiaSession({ sessionId: 'U2', completed: [], params: {}, createdTs: T0 }, 0);
    const live = { notBefore: T0 - 1 };
    assert.equal(await s.reserveRegistrationToken('held', T0, { sessionId: 'U1', ...live }), 'reserved');
    assert.equal(await s.reserveRegistrationToken('held', T0, { sessionId: 'U1', ...live }), 'reserved', 'a repeat costs no second use');
    assert.equal(await s.reserveRegistrationToken('held', T0, { sessionId: 'U2', ...live }), 'reserved');
    assert.equal(await s.reserveRegistrationToken('held', T0, { sessionId: 'NOPE', ...live }), 'no_session');
    assert.equal((await s.getRegistrationToken('held'))?.pending, 2);
    // U1 completes; U2 is abandoned and deleted.
    await s.completeRegistrationToken('held', 'U1');
    await s.deleteUiaSession('U1');
    await s.deleteUiaSession('U2');
    assert.deepEqual(await s.getRegistrationToken('held'), { token: 'held', usesAllowed: 2, pending: 0, completed: 1, expiryTime: null });
    // An expired session's use is given back when a new session purges it.
    await s.createUiaSession({ sessionId: 'U3', completed: [], params: {}, createdTs: T0 }, 0);
    assert.equal(await s.reserveRegistrationToken('held', T0, { sessionId: 'U3', ...live }), 'reserved');
    await s.createUiaSession({ sessionId: 'U4', completed: [], params: {}, createdTs: T0 + 10 }, T0);
    assert.equal((await s.getRegistrationToken('held'))?.pending, 0);
    assert.equal(await s.getUiaSession('U3', 0), undefined);
  });
}
