/**
 * Accounts end to end with a real client: matrix-js-sdk from npm against a real monolith on
 * SQLite, over HTTP. Registration (the UIA dummy flow, both as Element drives it through the SDK's
 * `InteractiveAuth` and as `client.register()` sends it), password login, whoami, profile,
 * account data, devices (deletion behind the password stage included) and logout — each answer read back through the SDK, so a response shape
 * the SDK cannot parse fails here even where our own route tests pass.
 *
 * The clients never call `startClient()` (the `/sync` loop has its own suite,
 * sync-matrix-js-sdk.test.ts). Everything here is a plain request; `setAccountData` falls back to
 * the raw PUT when the client is not running, which is what these suites want.
 */
import '../harness/matrix-sdk-polyfills.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventType, InteractiveAuth, MatrixError, type MatrixClient, type RegisterResponse } from 'matrix-js-sdk';
import { createSdkClient } from '../harness/matrix-sdk-client.js';
import { startTestMonolith, TEST_SERVER_NAME, type TestMonolith } from '../harness/start-test-monolith.js';

/** The error a rejected SDK call carries (fails the test if it was anything else). */
async function sdkError(p: Promise<unknown>): Promise<MatrixError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MatrixError, `expected a MatrixError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to be rejected');
}

describe('accounts through matrix-js-sdk', () => {
  let hs: TestMonolith;
  /** A client with no credentials, as apps have before login. */
  let anon: MatrixClient;

  before(async () => {
    hs = await startTestMonolith();
    anon = createSdkClient(hs.baseUrl);
  });
  after(async () => {
    await hs?.stop();
  });

  /** Logs `localpart` in with its password; a fresh client for the new session. */
  async function loginClient(localpart: string, password: string, deviceName?: string): Promise<MatrixClient> {
    const res = await anon.loginRequest({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: localpart },
      password,
      ...(deviceName ? { initial_device_display_name: deviceName } : {}),
    });
    return createSdkClient(hs.baseUrl, { accessToken: res.access_token, userId: res.user_id, deviceId: res.device_id });
  }

  it('discovers the server: versions and login flows', async () => {
    const versions = await anon.getVersions();
    assert.ok(versions.versions.includes('v1.1'), `versions: ${versions.versions.join(', ')}`);
    const { flows } = await anon.loginFlows();
    assert.ok(flows.some((f) => f.type === 'm.login.password'));
  });

  it('registers through InteractiveAuth: 401 with the dummy flow, then the dummy stage on that session', async () => {
    assert.equal(await anon.isUsernameAvailable('alice'), true);
    const stages: string[] = [];
    let probe: Record<string, unknown> | undefined;
    const ia = new InteractiveAuth<RegisterResponse>({
      matrixClient: anon,
      doRequest: async (auth) => {
        const dict = auth as { type?: string; session?: string } | null;
        stages.push(dict === null ? '(none)' : `${String(dict.type)}@${dict.session === undefined ? 'no-session' : 'session'}`);
        try {
          return await anon.registerRequest({
            username: 'alice',
            password: 'correct horse battery staple',
            initial_device_display_name: 'Registration device',
            ...(auth ? { auth } : {}),
          });
        } catch (e) {
          if (e instanceof MatrixError && e.httpStatus === 401) probe ??= { ...e.data };
          throw e;
        }
      },
      stateUpdated: (stage) => assert.fail(`the SDK asked the user for stage ${stage}`),
      requestEmailToken: () => assert.fail('no email stage was offered'),
    });
    const res = await ia.attemptAuth();

    assert.deepEqual(stages, ['(none)', 'm.login.dummy@session']);
    assert.deepEqual(probe?.flows, [{ stages: ['m.login.dummy'] }]);
    assert.equal(typeof probe?.session, 'string');
    assert.equal(res.user_id, `@alice:${TEST_SERVER_NAME}`);
    assert.equal(typeof res.access_token, 'string');
    assert.equal(typeof res.device_id, 'string');
    assert.equal(await anon.isUsernameAvailable('alice'), false);
  });

  it('registers with client.register() and the dummy stage sent up front, with a refresh token', async () => {
    const res = await anon.register('bob', 'bob password 123', null, { type: 'm.login.dummy' });
    assert.equal(res.user_id, `@bob:${TEST_SERVER_NAME}`);
    assert.equal(typeof res.refresh_token, 'string', 'the SDK always asks for a refresh token');
    assert.equal(typeof res.expires_in_ms, 'number');

    const bob = createSdkClient(hs.baseUrl, { accessToken: res.access_token, userId: res.user_id, deviceId: res.device_id });
    assert.deepEqual(await bob.whoami(), { user_id: res.user_id, device_id: res.device_id, is_guest: false });
    const refreshed = await bob.refreshToken(res.refresh_token!);
    assert.notEqual(refreshed.access_token, res.access_token);
    const bobRefreshed = createSdkClient(hs.baseUrl, { accessToken: refreshed.access_token, userId: res.user_id, deviceId: res.device_id });
    assert.equal((await bobRefreshed.whoami()).device_id, res.device_id);
  });

  it('refuses a taken username with M_USER_IN_USE before any auth', async () => {
    const err = await sdkError(anon.registerRequest({ username: 'alice', password: 'another password' }));
    assert.equal(err.httpStatus, 400);
    assert.equal(err.errcode, 'M_USER_IN_USE');
  });

  it('logs in with a password: identifier form and the deprecated top-level user', async () => {
    const alice = await loginClient('alice', 'correct horse battery staple', 'Laptop');
    assert.deepEqual(await alice.whoami(), { user_id: `@alice:${TEST_SERVER_NAME}`, device_id: alice.getDeviceId(), is_guest: false });

    // loginWithPassword sends `user` at the top level and stores the token in the client it is called on.
    const other = createSdkClient(hs.baseUrl);
    const res = await other.loginWithPassword(`@alice:${TEST_SERVER_NAME}`, 'correct horse battery staple');
    assert.equal(res.user_id, `@alice:${TEST_SERVER_NAME}`);
    assert.equal((await other.whoami()).user_id, `@alice:${TEST_SERVER_NAME}`);

    const wrong = await sdkError(anon.loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'nope' }));
    assert.equal(wrong.httpStatus, 403);
    assert.equal(wrong.errcode, 'M_FORBIDDEN');
  });

  it('sets the display name and reads it back through getProfileInfo', async () => {
    const alice = await loginClient('alice', 'correct horse battery staple');
    const userId = alice.getSafeUserId();
    await alice.setDisplayName('Alice Liddell');
    assert.deepEqual(await anon.getProfileInfo(userId), { displayname: 'Alice Liddell' });
    assert.deepEqual(await alice.getProfileInfo(userId, 'displayname'), { displayname: 'Alice Liddell' });
    const missing = await sdkError(anon.getProfileInfo(userId, 'avatar_url'));
    assert.equal(missing.httpStatus, 404);
    assert.equal(missing.errcode, 'M_NOT_FOUND');
  });

  it('round-trips account data, and reads unset types as null', async () => {
    const alice = await loginClient('alice', 'correct horse battery staple');
    const direct = { [`@bob:${TEST_SERVER_NAME}`]: [`!dm:${TEST_SERVER_NAME}`] };
    await alice.setAccountData(EventType.Direct, direct);
    await alice.setAccountData('m.identity_server', { base_url: null });
    assert.deepEqual(await alice.getAccountDataFromServer(EventType.Direct), direct);
    assert.deepEqual(await alice.getAccountDataFromServer('m.identity_server'), { base_url: null });
    // The SDK turns M_NOT_FOUND into null: anything else would throw here.
    assert.equal(await alice.getAccountDataFromServer(EventType.IgnoredUserList), null);

    // Another user's client reads its own (empty) account data, never alice's.
    const bob = await loginClient('bob', 'bob password 123');
    assert.equal(await bob.getAccountDataFromServer(EventType.Direct), null);
  });

  it('lists devices, renames one and reads the new name back', async () => {
    const alice = await loginClient('alice', 'correct horse battery staple', 'Phone');
    const own = alice.getDeviceId()!;
    const { devices } = await alice.getDevices();
    // Registration, the earlier logins and this one: every session is a device.
    const names = devices.map((d) => d.display_name ?? '(unnamed)').sort();
    assert.ok(names.includes('Registration device'), names.join(', '));
    assert.ok(names.includes('Laptop'), names.join(', '));
    assert.ok(names.includes('Phone'), names.join(', '));
    const mine = devices.find((d) => d.device_id === own);
    assert.equal(mine?.display_name, 'Phone');
    assert.equal(typeof mine?.last_seen_ts, 'number', 'the device list carries last-seen data of a used device');

    await alice.setDeviceDetails(own, { display_name: 'Renamed phone' });
    assert.equal((await alice.getDevice(own)).display_name, 'Renamed phone');
    const unknown = await sdkError(alice.setDeviceDetails('NOSUCHDEVICE', { display_name: 'x' }));
    assert.equal(unknown.httpStatus, 404);
    assert.equal(unknown.errcode, 'M_NOT_FOUND');
  });

  it('deletes a device behind the password stage, as InteractiveAuth asks for it', async () => {
    const alice = await loginClient('alice', 'correct horse battery staple');
    const doomed = (await loginClient('alice', 'correct horse battery staple', 'Old tablet')).getDeviceId()!;
    const asked: string[] = [];
    const ia = new InteractiveAuth<unknown>({
      matrixClient: alice,
      doRequest: (auth) => alice.deleteDevice(doomed, auth ?? undefined),
      // What a client's password dialog does: answer the stage the SDK reports.
      stateUpdated: (stage) => {
        asked.push(stage);
        void ia.submitAuthDict({ type: stage, identifier: { type: 'm.id.user', user: alice.getSafeUserId() }, password: 'correct horse battery staple' });
      },
      requestEmailToken: () => assert.fail('no email stage was offered'),
    });
    assert.deepEqual(await ia.attemptAuth(), {});
    assert.deepEqual(asked, ['m.login.password']);
    assert.equal((await alice.getDevices()).devices.some((d) => d.device_id === doomed), false);
  });

  it('logs out: the device is gone and the old token is refused with M_UNKNOWN_TOKEN', async () => {
    const keeper = await loginClient('alice', 'correct horse battery staple');
    const leaver = await loginClient('alice', 'correct horse battery staple', 'Leaving');
    const leavingDevice = leaver.getDeviceId()!;
    assert.deepEqual(await leaver.logout(), {});

    // On M_UNKNOWN_TOKEN the SDK tries a token refresh first and logs that it has no refresh token.
    const err = await sdkError(leaver.whoami());
    assert.equal(err.httpStatus, 401);
    assert.equal(err.errcode, 'M_UNKNOWN_TOKEN');
    const { devices } = await keeper.getDevices();
    assert.equal(devices.some((d) => d.device_id === leavingDevice), false);
    assert.equal((await keeper.whoami()).user_id, `@alice:${TEST_SERVER_NAME}`, 'other sessions stay logged in');
  });
});
