/** The userapi API: accounts, passwords, devices, access/refresh/login tokens. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import bcrypt from 'bcryptjs';
import { describeUserApi, rejectsWith, T0, TEST_ACCESS_LIFETIME_MS } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;

describeUserApi('userapi accounts and sessions', (api, env) => {
  const register = async (localpart: string, password = 'correct horse', accountType: 'user' | 'guest' | 'admin' = 'user') =>
    (await api().performAccountCreation({ localpart, password, accountType })).account;
  const login = async (localpart: string, opts: { deviceId?: string; refreshToken?: boolean } = {}) =>
    (await api().performDeviceCreation({ userId: uid(localpart), ...opts })).session;
  const owner = async (accessToken: string) => api().queryAccessToken({ accessToken });

  it('creates accounts and refuses taken or invalid names', async () => {
    const a = await register('alice');
    assert.deepEqual(a, {
      userId: '@alice:test.local',
      localpart: 'alice',
      accountType: 'user',
      isAdmin: false,
      deactivated: false,
      appserviceId: null,
      createdTs: T0,
      locked: false,
      suspended: false,
    });
    await rejectsWith(register('alice'), 'M_USER_IN_USE');
    await rejectsWith(register('Alice'), 'M_INVALID_USERNAME');
    await rejectsWith(register('a:b'), 'M_INVALID_USERNAME');
    await rejectsWith(register('x'.repeat(250)), 'M_INVALID_USERNAME');
    assert.equal((await register('root', 'pw', 'admin')).isAdmin, true);
    assert.deepEqual(await api().queryAccountAvailability({ localpart: 'alice' }), { available: false });
    assert.deepEqual(await api().queryAccountAvailability({ localpart: 'bob' }), { available: true });
    assert.equal((await api().queryAccount({ userId: uid('alice') })).account?.localpart, 'alice');
    assert.equal((await api().queryAccount({ userId: '@alice:elsewhere' })).account, null);
    assert.equal((await api().queryAccount({ userId: uid('nobody') })).account, null);
    assert.deepEqual((await api().queryProfile({ userId: uid('alice') })).profile, { displayname: 'alice' });
  });

  it('creates appservice users without a password', async () => {
    const a = (await api().performAccountCreation({ localpart: 'irc_bob', accountType: 'appservice', appserviceId: 'irc', displayName: 'Bob (IRC)' })).account;
    assert.equal(a.appserviceId, 'irc');
    assert.deepEqual(await api().queryPasswordCheck({ userId: a.userId, password: '' }), { ok: false });
    assert.deepEqual((await api().queryProfile({ userId: a.userId })).profile, { displayname: 'Bob (IRC)' });
  });

  it('checks passwords, NFKC-normalised, and accepts imported bcrypt hashes', async () => {
    await register('carol', 'ﬁsh and chips');
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('carol'), password: 'ﬁsh and chips' }), { ok: true });
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('carol'), password: 'fish and chips' }), { ok: true });
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('carol'), password: 'fish and chip' }), { ok: false });
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('nobody'), password: 'x' }), { ok: false });
    assert.deepEqual(await api().queryPasswordCheck({ userId: '@carol:elsewhere', password: 'ﬁsh and chips' }), { ok: false });
    const stored = await env.kit().storage.getAccount('carol');
    assert.match(stored?.passwordHash ?? '', /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);

    const legacy = bcrypt.hashSync('synapse password', 4);
    await env.kit().storage.createAccount(
      { localpart: 'imported', passwordHash: legacy, accountType: 'user', isAdmin: false, deactivated: false, appserviceId: null, createdTs: T0 },
      null,
    );
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('imported'), password: 'synapse password' }), { ok: true });
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('imported'), password: 'wrong' }), { ok: false });
  });

  it('takes about as long for an unknown user as for a wrong password', async () => {
    await register('timing', 'secret');
    const time = async (userId: string) => {
      const start = process.hrtime.bigint();
      await api().queryPasswordCheck({ userId, password: 'not it' });
      return Number(process.hrtime.bigint() - start);
    };
    const median = async (userId: string) => {
      const runs = [await time(userId), await time(userId), await time(userId)].sort((a, b) => a - b);
      return runs[1] ?? 0;
    };
    const wrong = await median(uid('timing'));
    const unknown = await median(uid('no-such-user'));
    assert.ok(unknown > wrong * 0.3, `unknown user ${unknown} ns vs wrong password ${wrong} ns`);
  });

  it('issues 256-bit access tokens bound to devices and answers unknown tokens with null', async () => {
    await register('dave');
    const s = await login('dave');
    assert.match(s.deviceId, /^[A-Z]{10}$/);
    assert.match(s.accessToken, /^axa_[A-Za-z0-9_-]{43}$/);
    assert.equal(s.refreshToken, null);
    assert.equal(s.expiresInMs, null);
    assert.deepEqual(await owner(s.accessToken), {
      owner: { userId: uid('dave'), deviceId: s.deviceId, isGuest: false, isAdmin: false, appserviceId: null, locked: false, suspended: false },
      expired: false,
    });
    assert.deepEqual(await owner(`${s.accessToken}x`), { owner: null, expired: false });
    assert.deepEqual(await owner('axa_unknown'), { owner: null, expired: false });
    const stored = await env.kit().storage.findAccessToken(s.accessToken);
    assert.equal(stored, undefined, 'the token itself is never stored');
    await rejectsWith(login('nobody'), 'M_NOT_FOUND');
  });

  it('marks guests and admins in the token owner', async () => {
    await register('guest1', 'x', 'guest');
    await register('boss', 'x', 'admin');
    const g = await login('guest1');
    const b = await login('boss');
    assert.equal((await owner(g.accessToken)).owner?.isGuest, true);
    assert.equal((await owner(b.accessToken)).owner?.isAdmin, true);
    assert.deepEqual((await api().queryProfile({ userId: uid('guest1') })).profile, {});
  });

  it('replaces the tokens of a device logged in again with its ID', async () => {
    await register('erin');
    const first = await login('erin', { deviceId: 'PHONE' });
    assert.equal((await owner(first.accessToken)).owner?.deviceId, 'PHONE'); // now cached
    const second = await login('erin', { deviceId: 'PHONE' });
    assert.deepEqual(await owner(first.accessToken), { owner: null, expired: false });
    assert.equal((await owner(second.accessToken)).owner?.deviceId, 'PHONE');
    assert.deepEqual((await api().queryDevices({ userId: uid('erin') })).devices.map((d) => d.deviceId), ['PHONE']);
  });

  it('expires refreshable access tokens and rotates refresh tokens', async () => {
    await register('frank');
    const s = await login('frank', { refreshToken: true });
    assert.match(s.refreshToken ?? '', /^axr_[A-Za-z0-9_-]{43}$/);
    assert.equal(s.expiresInMs, TEST_ACCESS_LIFETIME_MS);
    assert.equal((await owner(s.accessToken)).owner?.userId, uid('frank'));
    env.clock.now += TEST_ACCESS_LIFETIME_MS;
    assert.deepEqual(await owner(s.accessToken), { owner: null, expired: true }, 'expired, even when cached');

    const r1 = (await api().performTokenRefresh({ refreshToken: s.refreshToken ?? '' })).session;
    assert.equal(r1.deviceId, s.deviceId);
    assert.equal(r1.expiresInMs, TEST_ACCESS_LIFETIME_MS);
    assert.notEqual(r1.refreshToken, s.refreshToken);
    // The old refresh token still works until the new tokens are used …
    const r1again = (await api().performTokenRefresh({ refreshToken: s.refreshToken ?? '' })).session;
    assert.deepEqual(await owner(r1.accessToken), { owner: null, expired: false }, 'replaced by the retry');
    // … and is revoked once they are.
    assert.equal((await owner(r1again.accessToken)).owner?.deviceId, s.deviceId);
    await rejectsWith(api().performTokenRefresh({ refreshToken: s.refreshToken ?? '' }), 'M_UNKNOWN_TOKEN');
    const r2 = (await api().performTokenRefresh({ refreshToken: r1again.refreshToken ?? '' })).session;
    assert.equal((await owner(r2.accessToken)).owner?.userId, uid('frank'));
    await rejectsWith(api().performTokenRefresh({ refreshToken: r1again.refreshToken ?? '' }), 'M_UNKNOWN_TOKEN');
    await rejectsWith(api().performTokenRefresh({ refreshToken: 'axr_nonsense' }), 'M_UNKNOWN_TOKEN');
  });

  it('deletes devices and kills their tokens at once', async () => {
    await register('gina');
    const a = await login('gina', { deviceId: 'A' });
    const b = await login('gina', { deviceId: 'B' });
    const c = await login('gina', { deviceId: 'C' });
    for (const s of [a, b, c]) assert.ok((await owner(s.accessToken)).owner); // all cached
    assert.deepEqual(await api().performDeviceDeletion({ userId: uid('gina'), deviceIds: ['A', 'Z'] }), { deletedDeviceIds: ['A'] });
    assert.deepEqual(await owner(a.accessToken), { owner: null, expired: false });
    assert.deepEqual(await api().performDeviceDeletion({ userId: uid('gina'), exceptDeviceId: 'C' }), { deletedDeviceIds: ['B'] });
    assert.deepEqual(await owner(b.accessToken), { owner: null, expired: false });
    assert.ok((await owner(c.accessToken)).owner);
    assert.deepEqual(await api().performDeviceDeletion({ userId: '@gina:elsewhere' }), { deletedDeviceIds: [] });
  });

  it('renames devices and records where they were last seen', async () => {
    await register('hank');
    await api().performDeviceCreation({ userId: uid('hank'), deviceId: 'LAPTOP', displayName: 'Laptop', ip: '192.0.2.1', userAgent: 'UA/1' });
    assert.deepEqual(await api().performDeviceUpdate({ userId: uid('hank'), deviceId: 'LAPTOP', displayName: 'Work laptop' }), { found: true });
    assert.deepEqual(await api().performDeviceUpdate({ userId: uid('hank'), deviceId: 'NONE', displayName: 'x' }), { found: false });
    env.clock.now += 1000;
    await api().performLastSeenUpdate({ userId: uid('hank'), deviceId: 'LAPTOP', ip: '192.0.2.9', userAgent: null });
    assert.deepEqual(await api().queryDevices({ userId: uid('hank'), deviceIds: ['LAPTOP', 'NONE'] }), {
      devices: [
        { userId: uid('hank'), deviceId: 'LAPTOP', displayName: 'Work laptop', lastSeenTs: env.clock.now, lastSeenIp: '192.0.2.9', lastSeenUserAgent: null },
      ],
    });
    assert.deepEqual(await api().queryDevices({ userId: uid('nobody') }), { devices: [] });
  });

  it('changes passwords and logs out the other devices', async () => {
    await register('ivan', 'old password');
    const keep = await login('ivan', { deviceId: 'KEEP' });
    const other = await login('ivan', { deviceId: 'OTHER' });
    assert.ok((await owner(other.accessToken)).owner); // cached
    await api().performPasswordUpdate({ userId: uid('ivan'), newPassword: 'new password', logoutDevices: true, keepDeviceId: 'KEEP' });
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('ivan'), password: 'old password' }), { ok: false });
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('ivan'), password: 'new password' }), { ok: true });
    assert.deepEqual(await owner(other.accessToken), { owner: null, expired: false });
    assert.ok((await owner(keep.accessToken)).owner);
    await api().performPasswordUpdate({ userId: uid('ivan'), newPassword: 'third', logoutDevices: false });
    assert.ok((await owner(keep.accessToken)).owner, 'no logout asked');
    await rejectsWith(api().performPasswordUpdate({ userId: uid('nobody'), newPassword: 'x', logoutDevices: false }), 'M_NOT_FOUND');
  });

  it('deactivates accounts: no more logins, every token dies, erase drops the profile', async () => {
    await register('judy', 'pw');
    const s = await login('judy', { refreshToken: true });
    assert.ok((await owner(s.accessToken)).owner); // cached
    const lt = await api().performLoginTokenCreation({ userId: uid('judy'), lifetimeMs: 60_000 });
    await api().performAccountDataUpdate({ userId: uid('judy'), roomId: '!r:test.local', type: 'm.tag', content: { tags: {} } });
    await api().performAccountDeactivation({ userId: uid('judy'), erase: false });
    assert.deepEqual((await api().queryAccountData({ userId: uid('judy'), includeRooms: true, since: 0 })).entries, []);
    assert.deepEqual(await owner(s.accessToken), { owner: null, expired: false });
    await rejectsWith(api().performTokenRefresh({ refreshToken: s.refreshToken ?? '' }), 'M_UNKNOWN_TOKEN');
    assert.deepEqual(await api().queryPasswordCheck({ userId: uid('judy'), password: 'pw' }), { ok: false });
    assert.deepEqual(await api().performLoginTokenRedemption({ token: lt.token }), { userId: null });
    await rejectsWith(login('judy'), 'M_USER_DEACTIVATED');
    await rejectsWith(api().performLoginTokenCreation({ userId: uid('judy'), lifetimeMs: 1000 }), 'M_USER_DEACTIVATED');
    assert.equal((await api().queryAccount({ userId: uid('judy') })).account?.deactivated, true);
    assert.deepEqual(await api().queryAccountAvailability({ localpart: 'judy' }), { available: false });
    assert.equal((await api().queryProfile({ userId: uid('judy') })).found, true);
    await api().performAccountDeactivation({ userId: uid('judy'), erase: true });
    assert.deepEqual(await api().queryProfile({ userId: uid('judy') }), { found: false, profile: {} });
    await rejectsWith(api().performAccountDeactivation({ userId: uid('nobody'), erase: false }), 'M_NOT_FOUND');
  });

  it('redeems login tokens once, before they expire', async () => {
    await register('kim');
    const t = await api().performLoginTokenCreation({ userId: uid('kim'), lifetimeMs: 120_000 });
    assert.match(t.token, /^axl_[A-Za-z0-9_-]{43}$/);
    assert.equal(t.expiresInMs, 120_000);
    assert.deepEqual(await api().performLoginTokenRedemption({ token: t.token }), { userId: uid('kim') });
    assert.deepEqual(await api().performLoginTokenRedemption({ token: t.token }), { userId: null });
    const late = await api().performLoginTokenCreation({ userId: uid('kim'), lifetimeMs: 1000 });
    env.clock.now += 1000;
    assert.deepEqual(await api().performLoginTokenRedemption({ token: late.token }), { userId: null });
    assert.deepEqual(await api().performLoginTokenRedemption({ token: 'axl_unknown' }), { userId: null });
    await rejectsWith(api().performLoginTokenCreation({ userId: uid('nobody'), lifetimeMs: 1000 }), 'M_NOT_FOUND');
    await rejectsWith(api().performLoginTokenCreation({ userId: uid('kim'), lifetimeMs: 0 }), 'M_INVALID_PARAM');
  });
});
