/** The userapi API: E2EE keys — upload, query, claim, cross-signing, signatures, key change log. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import { OutputKeyChangeEvent, type OutputKeyChangeMessage } from '../../src/userapi/producers/output-key-change.js';
import { crossSigningKey, crossSigningSet, deviceKeysFor, newKey, signAs } from './keys-test-kit.js';
import { describeUserApi, rejectsWith } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;
let consumers = 0;

describeUserApi('userapi e2ee keys', (api, env) => {
  async function userWithDevice(localpart: string, deviceId: string, displayName?: string): Promise<string> {
    await api().performAccountCreation({ localpart, accountType: 'user', password: 'pw' });
    await api().performDeviceCreation({ userId: uid(localpart), deviceId, ...(displayName ? { displayName } : {}) });
    return uid(localpart);
  }
  const latest = async () => (await api().queryLatestKeyChangePos({})).position;

  /** The `OutputKeyChangeEvent` messages of `userId` published so far (waits for `n`). */
  async function published(userId: string, n: number): Promise<OutputKeyChangeMessage[]> {
    const got: OutputKeyChangeMessage[] = [];
    const sub = await env.kit().bus.subscribe<OutputKeyChangeMessage>({
      topic: OutputKeyChangeEvent,
      consumer: `keys-api-test-${++consumers}`,
      handler: async (m) => void (m.payload.userId === userId && got.push(m.payload)),
    });
    try {
      const deadline = Date.now() + 5000;
      while (got.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 100)); // no more than n
      return got;
    } finally {
      await sub.stop();
    }
  }

  it('stores device keys and one-time keys, serves them to others, and announces the device', async () => {
    const alice = await userWithDevice('alice', 'ADEV', 'Alice phone');
    await userWithDevice('bob', 'BDEV');
    const key = newKey();
    const dk = deviceKeysFor(alice, 'ADEV', key);
    const before = await latest();
    const up = await api().performUploadKeys({
      userId: alice,
      deviceId: 'ADEV',
      deviceKeys: dk,
      oneTimeKeys: { 'signed_curve25519:A1': { key: 'k1' }, 'signed_curve25519:A2': { key: 'k2' }, 'curve25519:C1': 'plain' },
    });
    assert.deepEqual(up.oneTimeKeyCounts, { signed_curve25519: 2, curve25519: 1 });
    assert.equal(await latest(), before + 1);

    const q = await api().queryKeys({ userIds: { [alice]: [], [uid('nobody')]: [], '@carol:elsewhere': [] }, requestingUserId: uid('bob') });
    assert.deepEqual(q.deviceKeys, { [alice]: { ADEV: { ...dk, unsigned: { device_display_name: 'Alice phone' } } }, [uid('nobody')]: {} });
    assert.deepEqual([q.masterKeys, q.selfSigningKeys, q.userSigningKeys], [{}, {}, {}]);

    const msgs = await published(alice, 1);
    assert.deepEqual(msgs, [
      { type: 'device_keys', userId: alice, deviceId: 'ADEV', streamPosition: before + 1, prevStreamPosition: null, deleted: false, deviceKeys: dk, displayName: 'Alice phone' },
    ]);
    const changes = await api().queryKeyChanges({ fromPos: before, toPos: before + 1 });
    assert.deepEqual(changes, { userIds: [alice], latestPos: before + 1 });
    assert.deepEqual((await api().queryKeyChanges({ fromPos: before + 1, toPos: before + 1 })).userIds, []);
  });

  it('refuses device keys that are not the device’s, badly signed, or different from the stored ones', async () => {
    const u = await userWithDevice('dora', 'D1');
    const key = newKey();
    const good = deviceKeysFor(u, 'D1', key);
    await rejectsWith(api().performUploadKeys({ userId: u, deviceId: 'D1', deviceKeys: deviceKeysFor(u, 'D2', key) }), 'M_INVALID_PARAM');
    await rejectsWith(api().performUploadKeys({ userId: u, deviceId: 'D1', deviceKeys: deviceKeysFor(uid('eve'), 'D1', key) }), 'M_INVALID_PARAM');
    const forged = { ...good, keys: { ...(good.keys as JsonObject), 'curve25519:D1': 'swapped' } };
    await rejectsWith(api().performUploadKeys({ userId: u, deviceId: 'D1', deviceKeys: forged }), 'M_INVALID_SIGNATURE');
    await rejectsWith(api().performUploadKeys({ userId: u, deviceId: 'NODEVICE', deviceKeys: deviceKeysFor(u, 'NODEVICE', key) }), 'M_NOT_FOUND');
    const before = await latest();
    await api().performUploadKeys({ userId: u, deviceId: 'D1', deviceKeys: good });
    await api().performUploadKeys({ userId: u, deviceId: 'D1', deviceKeys: good }); // the same again: no change
    assert.equal(await latest(), before + 1);
    await rejectsWith(api().performUploadKeys({ userId: u, deviceId: 'D1', deviceKeys: deviceKeysFor(u, 'D1', newKey()) }), 'M_INVALID_PARAM');
    await rejectsWith(api().performUploadKeys({ userId: u, deviceId: 'D1', deviceKeys: deviceKeysFor(u, 'D1', key, 'other-curve') }), 'M_INVALID_PARAM');
    const q = await api().queryKeys({ userIds: { [u]: ['D1'] }, requestingUserId: u });
    assert.deepEqual(q.deviceKeys[u]?.D1, good);
  });

  it('refuses a known one-time key ID with other content, storing nothing of that upload', async () => {
    const u = await userWithDevice('olaf', 'O1');
    await api().performUploadKeys({ userId: u, deviceId: 'O1', oneTimeKeys: { 'signed_curve25519:K1': { key: 'a' } } });
    await rejectsWith(
      api().performUploadKeys({ userId: u, deviceId: 'O1', oneTimeKeys: { 'signed_curve25519:K2': { key: 'b' }, 'signed_curve25519:K1': { key: 'changed' } } }),
      'M_INVALID_PARAM',
    );
    const same = await api().performUploadKeys({ userId: u, deviceId: 'O1', oneTimeKeys: { 'signed_curve25519:K1': { key: 'a' } } });
    assert.deepEqual(same.oneTimeKeyCounts, { signed_curve25519: 1 });
    await rejectsWith(api().performUploadKeys({ userId: u, deviceId: 'O1', oneTimeKeys: { nocolon: 'x' } }), 'M_INVALID_PARAM');
    await rejectsWith(
      api().performUploadKeys({ userId: u, deviceId: 'O1', fallbackKeys: { 'signed_curve25519:F1': { key: 'f' }, 'signed_curve25519:F2': { key: 'g' } } }),
      'M_INVALID_PARAM',
    );
  });

  it('claims one-time keys oldest upload first, then the fallback key, and counts what is left', async () => {
    const u = await userWithDevice('cleo', 'C1');
    await userWithDevice('claimer', 'X1');
    await api().performUploadKeys({ userId: u, deviceId: 'C1', oneTimeKeys: { 'signed_curve25519:Z9': { key: 'first-a' }, 'signed_curve25519:A0': { key: 'first-b' } } });
    await api().performUploadKeys({
      userId: u,
      deviceId: 'C1',
      oneTimeKeys: { 'signed_curve25519:AA': { key: 'second' } },
      fallbackKeys: { 'signed_curve25519:FB1': { key: 'fallback', fallback: true } },
    });
    assert.deepEqual(await api().queryOneTimeKeyCounts({ userId: u, deviceId: 'C1' }), { oneTimeKeyCounts: { signed_curve25519: 3 }, unusedFallbackKeyTypes: ['signed_curve25519'] });
    const before = await latest();
    const claim = async () => (await api().performClaimKeys({ oneTimeKeys: { [u]: { C1: 'signed_curve25519', NODEV: 'signed_curve25519' }, '@x:elsewhere': { D: 'signed_curve25519' } } })).oneTimeKeys;
    const first = [await claim(), await claim()].map((r) => Object.keys(r[u]?.C1 ?? {})[0]).sort();
    assert.deepEqual(first, ['signed_curve25519:A0', 'signed_curve25519:Z9'], 'the first upload goes out before the second');
    assert.deepEqual(await claim(), { [u]: { C1: { 'signed_curve25519:AA': { key: 'second' } } } });
    assert.deepEqual(await claim(), { [u]: { C1: { 'signed_curve25519:FB1': { key: 'fallback', fallback: true } } } });
    assert.deepEqual(await claim(), { [u]: { C1: { 'signed_curve25519:FB1': { key: 'fallback', fallback: true } } } }, 'the fallback key is reused');
    assert.deepEqual(await api().queryOneTimeKeyCounts({ userId: u, deviceId: 'C1' }), { oneTimeKeyCounts: {}, unusedFallbackKeyTypes: [] });
    assert.deepEqual(await api().performClaimKeys({ oneTimeKeys: { [u]: { C1: 'curve25519' } } }), { oneTimeKeys: {} });
    assert.equal(await latest(), before, 'claims are not key changes');
    // The same fallback key again stays used; a new one is unused.
    await api().performUploadKeys({ userId: u, deviceId: 'C1', fallbackKeys: { 'signed_curve25519:FB1': { key: 'fallback', fallback: true } } });
    assert.deepEqual((await api().queryOneTimeKeyCounts({ userId: u, deviceId: 'C1' })).unusedFallbackKeyTypes, []);
    await api().performUploadKeys({ userId: u, deviceId: 'C1', fallbackKeys: { 'signed_curve25519:FB2': { key: 'fallback2', fallback: true } } });
    assert.deepEqual((await api().queryOneTimeKeyCounts({ userId: u, deviceId: 'C1' })).unusedFallbackKeyTypes, ['signed_curve25519']);
  });

  it('validates cross-signing keys and serves the user-signing key only to its owner', async () => {
    const u = await userWithDevice('xena', 'XDEV');
    await userWithDevice('yuri', 'YDEV');
    const cs = crossSigningSet(u);
    const other = newKey();
    await rejectsWith(api().performUploadDeviceSigningKeys({ userId: u, selfSigning: cs.selfSigning }), 'M_MISSING_PARAM');
    await rejectsWith(api().performUploadDeviceSigningKeys({ userId: u, master: crossSigningKey(u, 'self_signing', cs.masterKey) }), 'M_INVALID_PARAM');
    await rejectsWith(api().performUploadDeviceSigningKeys({ userId: u, master: crossSigningKey(uid('yuri'), 'master', cs.masterKey) }), 'M_INVALID_PARAM');
    const badSsk = signAs(crossSigningKey(u, 'self_signing', cs.sskKey), u, cs.masterKey.publicKeyBase64, other);
    await rejectsWith(api().performUploadDeviceSigningKeys({ userId: u, master: cs.master, selfSigning: badSsk }), 'M_INVALID_SIGNATURE');
    const clash = { user_id: u, usage: ['master'], keys: { 'ed25519:XDEV': 'XDEV' } };
    await rejectsWith(api().performUploadDeviceSigningKeys({ userId: u, master: clash }), 'M_FORBIDDEN');
    assert.deepEqual(await api().queryKeys({ userIds: { [u]: [] }, requestingUserId: u }), { deviceKeys: { [u]: {} }, masterKeys: {}, selfSigningKeys: {}, userSigningKeys: {} });

    const req = { userId: u, master: cs.master, selfSigning: cs.selfSigning, userSigning: cs.userSigning };
    assert.deepEqual(await api().queryDeviceSigningUploadNeedsAuth(req), { needsAuth: false });
    const before = await latest();
    await api().performUploadDeviceSigningKeys(req);
    assert.equal(await latest(), before + 1);
    assert.deepEqual(await api().queryDeviceSigningUploadNeedsAuth(req), { needsAuth: false }, 'the same keys again');
    assert.deepEqual(await api().queryDeviceSigningUploadNeedsAuth({ userId: u, master: crossSigningKey(u, 'master', other) }), { needsAuth: true });
    assert.deepEqual(await api().queryDeviceSigningUploadNeedsAuth({ userId: u, selfSigning: cs.selfSigning }), { needsAuth: true });

    const own = await api().queryKeys({ userIds: { [u]: [] }, requestingUserId: u });
    assert.deepEqual([own.masterKeys[u], own.selfSigningKeys[u], own.userSigningKeys[u]], [cs.master, cs.selfSigning, cs.userSigning]);
    const seen = await api().queryKeys({ userIds: { [u]: [] }, requestingUserId: uid('yuri') });
    assert.deepEqual([seen.masterKeys[u], seen.selfSigningKeys[u], seen.userSigningKeys], [cs.master, cs.selfSigning, {}]);
    const msgs = await published(u, 1);
    assert.deepEqual(msgs, [
      { type: 'cross_signing', userId: u, streamPosition: before + 1, prevStreamPosition: null, masterKey: cs.master, selfSigningKey: cs.selfSigning, publicKeysChanged: true },
    ]);
    // A new self-signing key alone is checked against the stored master key.
    const ssk2 = signAs(crossSigningKey(u, 'self_signing', other), u, cs.masterKey.publicKeyBase64, cs.masterKey);
    await api().performUploadDeviceSigningKeys({ userId: u, selfSigning: ssk2 });
    assert.deepEqual((await api().queryKeys({ userIds: { [u]: [] }, requestingUserId: u })).selfSigningKeys[u], ssk2);
  });

  it('stores signatures that verify, merges them into queries, and reports the others as failures', async () => {
    const sam = await userWithDevice('sam', 'S1');
    const tia = await userWithDevice('tia', 'T1');
    const devKey = newKey();
    const dk = deviceKeysFor(sam, 'S1', devKey);
    await api().performUploadKeys({ userId: sam, deviceId: 'S1', deviceKeys: dk });
    const samCs = crossSigningSet(sam);
    const tiaCs = crossSigningSet(tia);
    await api().performUploadDeviceSigningKeys({ userId: sam, master: samCs.master, selfSigning: samCs.selfSigning, userSigning: samCs.userSigning });
    await api().performUploadDeviceSigningKeys({ userId: tia, master: tiaCs.master });
    const sskPub = samCs.sskKey.publicKeyBase64;
    const samMasterPub = samCs.masterKey.publicKeyBase64;
    const tiaMasterPub = tiaCs.masterKey.publicKeyBase64;
    const before = await latest();

    const deviceBySsk = signAs(dk, sam, sskPub, samCs.sskKey);
    const masterByDevice = signAs(samCs.master, sam, 'S1', devKey);
    const tiaByUsk = signAs(tiaCs.master, sam, samCs.uskKey.publicKeyBase64, samCs.uskKey);
    const res = await api().performUploadKeySignatures({
      userId: sam,
      signatures: {
        [sam]: { S1: deviceBySsk, [samMasterPub]: masterByDevice, NOPE: deviceBySsk },
        [tia]: { [tiaMasterPub]: tiaByUsk, notTheMaster: tiaByUsk },
        '@zed:elsewhere': { abc: tiaByUsk },
      },
    });
    assert.deepEqual(Object.keys(res.failures).sort(), ['@zed:elsewhere', sam, tia].sort());
    assert.equal(res.failures[sam]?.NOPE?.errcode, 'M_NOT_FOUND');
    assert.equal(res.failures[tia]?.notTheMaster?.errcode, 'M_NOT_FOUND');
    assert.equal(res.failures['@zed:elsewhere']?.abc?.errcode, 'M_NOT_FOUND');
    assert.deepEqual(Object.keys(res.failures[sam] ?? {}), ['NOPE']);
    assert.deepEqual(Object.keys(res.failures[tia] ?? {}), ['notTheMaster']);
    // Device S1 changed; sam's cross-signing changed (the public master signature and the private
    // signature of tia's key make one announcement).
    assert.equal(await latest(), before + 2);

    const bySam = await api().queryKeys({ userIds: { [sam]: [], [tia]: [] }, requestingUserId: sam });
    assert.deepEqual(bySam.deviceKeys[sam]?.S1, deviceBySsk);
    assert.deepEqual(bySam.masterKeys[sam], masterByDevice);
    assert.deepEqual(bySam.masterKeys[tia], tiaByUsk, 'the signer sees their signature of another user’s master key');
    const byTia = await api().queryKeys({ userIds: { [sam]: [], [tia]: [] }, requestingUserId: tia });
    assert.deepEqual(byTia.deviceKeys[sam]?.S1, deviceBySsk);
    assert.deepEqual(byTia.masterKeys[sam], masterByDevice);
    assert.deepEqual(byTia.masterKeys[tia], tiaCs.master, 'nobody else sees it');

    const forged = signAs(dk, sam, sskPub, newKey());
    const bad = await api().performUploadKeySignatures({ userId: sam, signatures: { [sam]: { S1: forged } } });
    assert.equal(bad.failures[sam]?.S1?.errcode, 'M_INVALID_SIGNATURE');
    const changed = signAs({ ...dk, algorithms: ['other'] }, sam, sskPub, samCs.sskKey);
    const mismatch = await api().performUploadKeySignatures({ userId: sam, signatures: { [sam]: { S1: changed } } });
    assert.equal(mismatch.failures[sam]?.S1?.errcode, 'M_INVALID_PARAM');
    const noUsk = await api().performUploadKeySignatures({ userId: tia, signatures: { [sam]: { [samMasterPub]: samCs.master } } });
    assert.equal(noUsk.failures[sam]?.[samMasterPub]?.errcode, 'M_NOT_FOUND');
    assert.equal(await latest(), before + 2, 'failures change nothing');
  });

  it('logs and announces a deleted device, deleting its keys', async () => {
    const u = await userWithDevice('dan', 'DD1');
    await api().performDeviceCreation({ userId: u, deviceId: 'DD2' });
    const dk = deviceKeysFor(u, 'DD1', newKey());
    await api().performUploadKeys({ userId: u, deviceId: 'DD1', deviceKeys: dk, oneTimeKeys: { 'signed_curve25519:Q': { key: 'q' } } });
    const before = await latest();
    await api().performDeviceDeletion({ userId: u, deviceIds: ['DD1'] });
    assert.equal(await latest(), before + 1);
    assert.deepEqual((await api().queryKeys({ userIds: { [u]: [] }, requestingUserId: u })).deviceKeys, { [u]: {} });
    assert.deepEqual(await api().queryOneTimeKeyCounts({ userId: u, deviceId: 'DD1' }), { oneTimeKeyCounts: {}, unusedFallbackKeyTypes: [] });
    assert.deepEqual((await api().queryKeyChanges({ fromPos: before, toPos: before + 1 })).userIds, [u]);
    const msgs = await published(u, 2);
    assert.deepEqual(msgs[1], { type: 'device_keys', userId: u, deviceId: 'DD1', streamPosition: before + 1, prevStreamPosition: before, deleted: true, deviceKeys: null, displayName: null });
    await api().performPasswordUpdate({ userId: u, newPassword: 'new-pw', logoutDevices: true });
    assert.equal(await latest(), before + 2, 'logging out DD2 is a change too');
  });
});
