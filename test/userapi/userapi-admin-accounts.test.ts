/** The userapi's admin account operations: listing accounts, the admin flag and re-activation. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { QueryAccountsRequest } from '../../src/userapi/api.js';
import { describeUserApi, rejectsWith, T0 } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;

const ALL: QueryAccountsRequest = {
  offset: 0,
  limit: 100,
  includeGuests: true,
  includeDeactivated: false,
  includeLocked: false,
  orderBy: 'name',
  descending: false,
};

describeUserApi('userapi admin accounts', (api, env) => {
  const register = async (localpart: string, accountType: 'user' | 'guest' | 'admin' = 'user') =>
    (await api().performAccountCreation({ localpart, password: 'pw', accountType })).account;

  it('lists accounts as the API shows them, with profile and last sighting', async () => {
    await register('ann');
    env.clock.now = T0 + 1000;
    await register('bob', 'admin');
    env.clock.now = T0 + 5000;
    await api().performDeviceCreation({ userId: uid('ann'), ip: '10.0.0.1' });
    await api().performProfileUpdate({ userId: uid('bob'), field: 'avatar_url', value: 'mxc://test.local/b' });
    const res = await api().queryAccounts(ALL);
    assert.equal(res.total, 2, 'the first test: no other accounts yet');
    const [ann, bob] = res.accounts;
    const annAccount = (await api().queryAccount({ userId: uid('ann') })).account;
    assert.deepEqual(ann, { ...annAccount, displayname: 'ann', avatarUrl: null, lastSeenTs: T0 + 5000 });
    assert.deepEqual([bob?.userId, bob?.isAdmin, bob?.avatarUrl, bob?.lastSeenTs], [uid('bob'), true, 'mxc://test.local/b', null]);
    const byId = await api().queryAccounts({ ...ALL, userIdContains: 'B:TEST.LOCAL' });
    assert.deepEqual(byId.accounts.map((a) => a.userId), [uid('bob')]);
    const page = await api().queryAccounts({ ...ALL, limit: 1, offset: 1, orderBy: 'creationTs', descending: true });
    assert.deepEqual([page.accounts.map((a) => a.userId), page.total], [[uid('ann')], 2]);
  });

  it('grants and revokes admin rights; a cached token owner sees it at once', async () => {
    await register('cat');
    const { session } = await api().performDeviceCreation({ userId: uid('cat') });
    const owner = async () => (await api().queryAccessToken({ accessToken: session.accessToken })).owner?.isAdmin;
    assert.equal(await owner(), false); // now cached
    assert.deepEqual(await api().performAccountAdminUpdate({ userId: uid('cat'), admin: true }), { admin: true });
    assert.equal(await owner(), true);
    assert.equal((await api().queryAccount({ userId: uid('cat') })).account?.isAdmin, true);
    assert.deepEqual(await api().performAccountAdminUpdate({ userId: uid('cat'), admin: false }), { admin: false });
    assert.equal(await owner(), false);
    await rejectsWith(api().performAccountAdminUpdate({ userId: uid('nobody'), admin: true }), 'M_NOT_FOUND');
    await rejectsWith(api().performAccountAdminUpdate({ userId: '@cat:other.example', admin: true }), 'M_NOT_FOUND');
  });

  it('re-activates a deactivated account without its old password, listed and searchable again', async () => {
    await register('dee');
    await api().performAccountDeactivation({ userId: uid('dee'), erase: true });
    const dee = { ...ALL, userIdContains: '@dee:' };
    assert.deepEqual((await api().queryAccounts(dee)).accounts.map((a) => a.userId), []);
    assert.deepEqual(await api().performAccountReactivation({ userId: uid('dee') }), {});
    const account = (await api().queryAccount({ userId: uid('dee') })).account;
    assert.equal(account?.deactivated, false);
    assert.deepEqual((await api().queryPasswordCheck({ userId: uid('dee'), password: 'pw' })).ok, false, 'the password is gone');
    await api().performPasswordUpdate({ userId: uid('dee'), newPassword: 'pw2', logoutDevices: true });
    assert.equal((await api().queryPasswordCheck({ userId: uid('dee'), password: 'pw2' })).ok, true);
    const listed = (await api().queryAccounts(dee)).accounts;
    assert.deepEqual(listed.map((a) => [a.userId, a.displayname]), [[uid('dee'), null]], 'erased: an empty profile');
    assert.deepEqual(await api().performAccountReactivation({ userId: uid('dee') }), {}, 'an active account is left alone');
    await rejectsWith(api().performAccountReactivation({ userId: uid('nobody') }), 'M_NOT_FOUND');
  });
});
