/** The userapi API: pushers, in-process and over inthttp, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PerformPusherSetRequest } from '../../src/userapi/api.js';
import { describeUserApi, rejectsWith, T0 } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;

const pusher = (url: string): NonNullable<PerformPusherSetRequest['pusher']> => ({
  kind: 'http',
  appDisplayName: 'Test app',
  deviceDisplayName: 'Phone',
  profileTag: null,
  lang: 'en',
  data: { url, format: 'event_id_only' },
});

describeUserApi('userapi pushers', (api, env) => {
  const register = (localpart: string) => api().performAccountCreation({ localpart, accountType: 'user', password: 'pw' });
  const set = (localpart: string, pushkey: string, p: PerformPusherSetRequest['pusher'], append = false, deviceId: string | null = 'DEV') =>
    api().performPusherSet({ userId: uid(localpart), deviceId, appId: 'com.example.app', pushkey, pusher: p, append });

  it('creates, replaces and deletes a pusher, stamping it with the time and the device', async () => {
    await register('pia');
    env.clock.now = T0 + 5;
    await set('pia', 'key1', pusher('https://push.example/_matrix/push/v1/notify'));
    assert.deepEqual((await api().queryPushers({ userId: uid('pia') })).pushers, [
      {
        pushkey: 'key1',
        appId: 'com.example.app',
        ...pusher('https://push.example/_matrix/push/v1/notify'),
        pushkeyTs: T0 + 5,
        deviceId: 'DEV',
      },
    ]);
    env.clock.now = T0 + 9;
    await set('pia', 'key1', { ...pusher('https://other.example/_matrix/push/v1/notify'), lang: 'de' });
    const [replaced] = (await api().queryPushers({ userId: uid('pia') })).pushers;
    assert.equal(replaced?.lang, 'de');
    assert.equal(replaced?.data.url, 'https://other.example/_matrix/push/v1/notify');
    assert.equal(replaced?.pushkeyTs, T0 + 9);
    await set('pia', 'key1', null);
    await set('pia', 'never-existed', null);
    assert.deepEqual((await api().queryPushers({ userId: uid('pia') })).pushers, []);
  });

  it("replaces other users' pusher with the same app and pushkey unless appending", async () => {
    await register('ana');
    await register('ben');
    await set('ana', 'shared', pusher('https://push.example/_matrix/push/v1/notify'));
    await set('ben', 'shared', pusher('https://push.example/_matrix/push/v1/notify'), true);
    assert.equal((await api().queryPushers({ userId: uid('ana') })).pushers.length, 1, 'append keeps the other user’s');
    await set('ben', 'shared', pusher('https://push.example/_matrix/push/v1/notify'), false);
    assert.equal((await api().queryPushers({ userId: uid('ana') })).pushers.length, 0, 'without append the pushkey moves to ben');
    assert.equal((await api().queryPushers({ userId: uid('ben') })).pushers.length, 1);
  });

  it('refuses users of other servers', async () => {
    await rejectsWith(api().performPusherSet({ userId: '@x:elsewhere', deviceId: null, appId: 'a', pushkey: 'k', pusher: null, append: false }), 'M_FORBIDDEN');
  });
});
