/** The E2EE key routes over real HTTP: upload, query, claim, sync counts, cross-signing, signatures. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import { crossSigningKey, crossSigningSet, deviceKeysFor, newKey, signAs } from '../userapi/keys-test-kit.js';
import { okBody, passwordAuth, SERVER_NAME, startClientTestServer, type ClientTestServer, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';

describe('e2ee keys routes', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  const post = (u: TestUser, path: string, body: unknown) => s.call('POST', V3 + path, { token: u.accessToken, body });
  before(async () => {
    s = await startClientTestServer();
    alice = await s.register('alice');
    bob = await s.register('bob');
  });
  after(() => s.stop());

  it('uploads keys, lets another user query and claim them, and shows the counts in sync', async () => {
    const key = newKey();
    const dk = deviceKeysFor(alice.userId, alice.deviceId, key);
    const rename = await s.call('PUT', `${V3}/devices/${alice.deviceId}`, { token: alice.accessToken, body: { display_name: 'Alice laptop' } });
    assert.equal(rename.status, 200);
    const up = okBody(
      await post(alice, '/keys/upload', {
        device_keys: dk,
        one_time_keys: { 'signed_curve25519:AAAA': signAs({ key: 'otk-a' }, alice.userId, alice.deviceId, key), 'signed_curve25519:AAAB': signAs({ key: 'otk-b' }, alice.userId, alice.deviceId, key) },
      }),
    );
    assert.deepEqual(up, { one_time_key_counts: { signed_curve25519: 2 } });
    const second = signAs({ key: 'otk-c' }, alice.userId, alice.deviceId, key);
    const fallback = signAs({ key: 'fb', fallback: true }, alice.userId, alice.deviceId, key);
    okBody(await post(alice, '/keys/upload', { one_time_keys: { 'signed_curve25519:AAAC': second }, fallback_keys: { 'signed_curve25519:FFFF': fallback } }));

    const q = okBody(await post(bob, '/keys/query', { device_keys: { [alice.userId]: [], [`@ghost:${SERVER_NAME}`]: [], '@carol:remote.example': [] } }));
    assert.deepEqual(q.device_keys, {
      [alice.userId]: { [alice.deviceId]: { ...dk, unsigned: { device_display_name: 'Alice laptop' } } },
      [`@ghost:${SERVER_NAME}`]: {},
    });
    assert.deepEqual(q.failures, { 'remote.example': {} }, 'federation seam: remote servers are failures for now');
    assert.deepEqual([q.master_keys, q.self_signing_keys, q.user_signing_keys], [{}, {}, {}]);

    const claimOnce = async () => okBody(await post(bob, '/keys/claim', { one_time_keys: { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } } }));
    const first = await claimOnce();
    const firstId = Object.keys((first.one_time_keys as Record<string, Record<string, JsonObject>>)[alice.userId]![alice.deviceId]!)[0];
    assert.ok(firstId === 'signed_curve25519:AAAA' || firstId === 'signed_curve25519:AAAB', `the first upload goes first, got ${firstId}`);
    assert.deepEqual(first.failures, {});

    const sync = okBody(await s.call('GET', `${V3}/sync?timeout=0`, { token: alice.accessToken }));
    assert.deepEqual(sync.device_one_time_keys_count, { signed_curve25519: 2 });
    assert.deepEqual(sync.device_unused_fallback_key_types, ['signed_curve25519']);

    await claimOnce();
    assert.deepEqual((await claimOnce()).one_time_keys, { [alice.userId]: { [alice.deviceId]: { 'signed_curve25519:AAAC': second } } });
    assert.deepEqual((await claimOnce()).one_time_keys, { [alice.userId]: { [alice.deviceId]: { 'signed_curve25519:FFFF': fallback } } });
    const after = okBody(await s.call('GET', `${V3}/sync?timeout=0`, { token: alice.accessToken }));
    assert.deepEqual(after.device_one_time_keys_count, {});
    assert.deepEqual(after.device_unused_fallback_key_types, []);
    const remote = okBody(await post(bob, '/keys/claim', { one_time_keys: { '@carol:remote.example': { DEV: 'signed_curve25519' } } }));
    assert.deepEqual(remote, { one_time_keys: {}, failures: { 'remote.example': {} } });
  });

  it('refuses badly signed or foreign device keys with 400', async () => {
    const dev = await s.login('bob', bob.password);
    const dk = deviceKeysFor(bob.userId, dev.deviceId, newKey());
    const tampered = { ...dk, algorithms: ['m.megolm.v1.aes-sha2'] };
    const bad = await post(dev, '/keys/upload', { device_keys: tampered });
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_INVALID_SIGNATURE']);
    const foreign = await post(dev, '/keys/upload', { device_keys: deviceKeysFor(bob.userId, 'OTHERDEVICE', newKey()) });
    assert.deepEqual([foreign.status, foreign.body.errcode], [400, 'M_INVALID_PARAM']);
    okBody(await post(dev, '/keys/upload', { device_keys: dk }));
    const changed = await post(dev, '/keys/upload', { device_keys: deviceKeysFor(bob.userId, dev.deviceId, newKey()) });
    assert.deepEqual([changed.status, changed.body.errcode], [400, 'M_INVALID_PARAM']);
  });

  it('uploads cross-signing keys (UIA only to replace them) and signatures, reporting failures', async () => {
    const carl = await s.register('carl');
    const devKey = newKey();
    const dk = deviceKeysFor(carl.userId, carl.deviceId, devKey);
    okBody(await post(carl, '/keys/upload', { device_keys: dk }));
    const cs = crossSigningSet(carl.userId);
    const body = { master_key: cs.master, self_signing_key: cs.selfSigning, user_signing_key: cs.userSigning };
    assert.deepEqual(okBody(await post(carl, '/keys/device_signing/upload', body)), {}, 'no UIA for the first keys');
    assert.deepEqual(okBody(await post(carl, '/keys/device_signing/upload', body)), {}, 'nor for the same keys again');

    const other = newKey();
    const badSsk = { self_signing_key: signAs(crossSigningKey(carl.userId, 'self_signing', other), carl.userId, cs.masterKey.publicKeyBase64, newKey()) };
    const noUia = await post(carl, '/keys/device_signing/upload', badSsk);
    assert.equal(noUia.status, 401, 'replacing a key needs UIA');
    const session = String(noUia.body.session);
    const invalid = await post(carl, '/keys/device_signing/upload', { ...badSsk, auth: passwordAuth(carl, session) });
    assert.deepEqual([invalid.status, invalid.body.errcode], [400, 'M_INVALID_SIGNATURE']);
    const newSsk = signAs(crossSigningKey(carl.userId, 'self_signing', other), carl.userId, cs.masterKey.publicKeyBase64, cs.masterKey);
    const challenge = await post(carl, '/keys/device_signing/upload', { self_signing_key: newSsk });
    assert.equal(challenge.status, 401);
    const replaced = await post(carl, '/keys/device_signing/upload', { self_signing_key: newSsk, auth: passwordAuth(carl, String(challenge.body.session)) });
    assert.deepEqual([replaced.status, replaced.body], [200, {}]);

    const signedDevice = signAs(dk, carl.userId, other.publicKeyBase64, other);
    const forged = signAs(dk, carl.userId, other.publicKeyBase64, newKey());
    const res = okBody(
      await post(carl, '/keys/signatures/upload', {
        [carl.userId]: { [carl.deviceId]: signedDevice, UNKNOWNDEV: forged },
      }),
    );
    assert.deepEqual(Object.keys((res.failures as Record<string, JsonObject>)[carl.userId] ?? {}), ['UNKNOWNDEV']);
    const bad = okBody(await post(carl, '/keys/signatures/upload', { [carl.userId]: { [carl.deviceId]: forged } }));
    assert.equal(((bad.failures as Record<string, Record<string, JsonObject>>)[carl.userId]?.[carl.deviceId])?.errcode, 'M_INVALID_SIGNATURE');

    const q = okBody(await post(bob, '/keys/query', { device_keys: { [carl.userId]: [carl.deviceId] } }));
    const served = (q.device_keys as Record<string, Record<string, JsonObject>>)[carl.userId]?.[carl.deviceId];
    assert.deepEqual(served?.signatures, signedDevice.signatures, 'the self-signing signature is merged in');
    assert.deepEqual((q.master_keys as Record<string, JsonObject>)[carl.userId], cs.master);
    assert.deepEqual((q.self_signing_keys as Record<string, JsonObject>)[carl.userId], newSsk);
    assert.deepEqual(q.user_signing_keys, {}, 'only the owner sees the user-signing key');
    const own = okBody(await post(carl, '/keys/query', { device_keys: { [carl.userId]: [] } }));
    assert.deepEqual((own.user_signing_keys as Record<string, JsonObject>)[carl.userId], cs.userSigning);
  });
});
