/** The userapi API: OpenID tokens (issued to a user, traded by third parties for the user's ID). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { OPENID_TOKEN_LIFETIME_MS } from '../../src/userapi/internal/openid-tokens.js';
import { describeUserApi, rejectsWith } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;

describeUserApi('userapi OpenID tokens', (api, env) => {
  const register = (localpart: string) => api().performAccountCreation({ localpart, accountType: 'user', password: 'pw' });

  it('issues an hour-long token that names its user until it expires', async () => {
    await register('olga');
    const { token, expiresInMs } = await api().performOpenIdTokenCreation({ userId: uid('olga') });
    assert.equal(expiresInMs, 3_600_000);
    assert.equal(OPENID_TOKEN_LIFETIME_MS, 3_600_000);
    assert.match(token, /^axo_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await api().queryOpenIdToken({ token }), { userId: uid('olga') });
    assert.deepEqual(await api().queryOpenIdToken({ token }), { userId: uid('olga') }, 'reusable');
    env.clock.now += expiresInMs - 1;
    assert.deepEqual(await api().queryOpenIdToken({ token }), { userId: uid('olga') });
    env.clock.now += 1;
    assert.deepEqual(await api().queryOpenIdToken({ token }), { userId: null });
  });

  it('stores only the hash of the token', async () => {
    await register('pia');
    const { token } = await api().performOpenIdTokenCreation({ userId: uid('pia') });
    assert.equal(await env.kit().storage.getOpenIdToken(token, env.clock.now), undefined);
  });

  it('answers null for unknown tokens and for access tokens', async () => {
    await register('quin');
    const login = await api().performDeviceCreation({ userId: uid('quin') });
    assert.deepEqual(await api().queryOpenIdToken({ token: 'axo_unknown' }), { userId: null });
    assert.deepEqual(await api().queryOpenIdToken({ token: login.session.accessToken }), { userId: null });
  });

  it('refuses unknown, remote and deactivated users, and stops answering for a user deactivated since', async () => {
    await rejectsWith(api().performOpenIdTokenCreation({ userId: uid('nobody') }), 'M_NOT_FOUND');
    await rejectsWith(api().performOpenIdTokenCreation({ userId: '@rita:elsewhere.test' }), 'M_NOT_FOUND');
    await register('sam');
    const { token } = await api().performOpenIdTokenCreation({ userId: uid('sam') });
    await api().performAccountDeactivation({ userId: uid('sam'), erase: false });
    assert.deepEqual(await api().queryOpenIdToken({ token }), { userId: null });
    await rejectsWith(api().performOpenIdTokenCreation({ userId: uid('sam') }), 'M_USER_DEACTIVATED');
  });
});
