/** The userapi's account moderation: lock and suspension flags, their storage and their effect on tokens. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import { describeUserApi, rejectsWith } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;

/** A MatrixError M_USER_LOCKED, 401 with soft logout, as the spec's "Account locking" shows it. */
const userLocked = (e: unknown) =>
  e instanceof MatrixError && e.status === 401 && e.errcode === 'M_USER_LOCKED' && e.body().soft_logout === true;

describeUserApi('userapi account moderation', (api, env) => {
  const register = async (localpart: string) => (await api().performAccountCreation({ localpart, password: 'pw', accountType: 'user' })).account;
  const login = async (localpart: string, refreshToken = false) => (await api().performDeviceCreation({ userId: uid(localpart), refreshToken })).session;
  const account = async (localpart: string) => (await api().queryAccount({ userId: uid(localpart) })).account;
  const owner = async (accessToken: string) => (await api().queryAccessToken({ accessToken })).owner;

  it('starts unlocked and unsuspended, in the account, its storage and its token owner', async () => {
    const created = await register('fresh');
    assert.equal(created.locked, false);
    assert.equal(created.suspended, false);
    const stored = await env.kit().storage.getAccount('fresh');
    assert.equal(stored?.locked, false);
    assert.equal(stored?.suspended, false);
    const s = await login('fresh');
    const o = await owner(s.accessToken);
    assert.equal(o?.locked, false);
    assert.equal(o?.suspended, false);
  });

  it('locks and unlocks; a cached token owner sees the change at once and the token survives', async () => {
    await register('bob');
    const s = await login('bob');
    assert.equal((await owner(s.accessToken))?.locked, false); // now cached
    assert.deepEqual(await api().performAccountLockUpdate({ userId: uid('bob'), locked: true }), { locked: true });
    assert.equal((await owner(s.accessToken))?.locked, true);
    assert.equal((await account('bob'))?.locked, true);
    assert.equal((await account('bob'))?.suspended, false);
    assert.equal((await env.kit().storage.getAccount('bob'))?.locked, true);
    assert.deepEqual(await api().performAccountLockUpdate({ userId: uid('bob'), locked: false }), { locked: false });
    assert.equal((await owner(s.accessToken))?.locked, false);
    assert.equal((await account('bob'))?.locked, false);
  });

  it('suspends and unsuspends independently of the lock', async () => {
    await register('carol');
    const s = await login('carol');
    assert.equal((await owner(s.accessToken))?.suspended, false);
    assert.deepEqual(await api().performAccountSuspensionUpdate({ userId: uid('carol'), suspended: true }), { suspended: true });
    await api().performAccountLockUpdate({ userId: uid('carol'), locked: true });
    assert.deepEqual(
      { locked: (await owner(s.accessToken))?.locked, suspended: (await owner(s.accessToken))?.suspended },
      { locked: true, suspended: true },
    );
    await api().performAccountLockUpdate({ userId: uid('carol'), locked: false });
    const a = await account('carol');
    assert.deepEqual({ locked: a?.locked, suspended: a?.suspended }, { locked: false, suspended: true });
    await api().performAccountSuspensionUpdate({ userId: uid('carol'), suspended: false });
    assert.equal((await owner(s.accessToken))?.suspended, false);
  });

  it('answers M_NOT_FOUND for unknown, remote and deactivated users', async () => {
    await register('gone');
    await api().performAccountDeactivation({ userId: uid('gone'), erase: false });
    for (const userId of [uid('nobody'), '@bob:elsewhere.example', uid('gone')]) {
      await rejectsWith(api().performAccountLockUpdate({ userId, locked: true }), 'M_NOT_FOUND');
      await rejectsWith(api().performAccountSuspensionUpdate({ userId, suspended: true }), 'M_NOT_FOUND');
    }
    assert.equal(await env.kit().storage.setAccountModeration('gone', 'locked', true), false);
    assert.equal((await env.kit().storage.getAccount('gone'))?.locked, false);
  });

  it('refuses a locked account new tokens, by login or refresh, until it is unlocked', async () => {
    await register('dave');
    const s = await login('dave', true);
    assert.ok(s.refreshToken);
    await api().performAccountLockUpdate({ userId: uid('dave'), locked: true });
    await assert.rejects(login('dave'), userLocked);
    await assert.rejects(api().performTokenRefresh({ refreshToken: s.refreshToken }), userLocked);
    await api().performAccountLockUpdate({ userId: uid('dave'), locked: false });
    // The refresh token refused while locked still works: the session survives the lock.
    const refreshed = await api().performTokenRefresh({ refreshToken: s.refreshToken });
    assert.equal(refreshed.session.deviceId, s.deviceId);
    assert.equal((await owner(refreshed.session.accessToken))?.userId, uid('dave'));
    assert.ok(await login('dave'));
  });

  it('lets a suspended account log in (spec: new sessions are suspended too)', async () => {
    await register('erin');
    await api().performAccountSuspensionUpdate({ userId: uid('erin'), suspended: true });
    const s = await login('erin');
    assert.equal((await owner(s.accessToken))?.suspended, true);
  });
});
