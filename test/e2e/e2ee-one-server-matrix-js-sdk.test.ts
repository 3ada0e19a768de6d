/**
 * End-to-end encryption on one server with a real client: matrix-js-sdk with its Rust crypto (in
 * memory) against a real monolith. Each step is what issue 9 asks to show:
 * 1. alice and bob in a Megolm-encrypted room each send a message the other decrypts (the room
 *    keys travel by `/keys/claim`'d Olm sessions over `/sendToDevice`), and the server only ever
 *    stores ciphertext;
 * 2. cross-signing bootstrapped behind the password stage; the other user verifies by SAS over
 *    to-device messages, his signature of her master key reaches the server, and he then sees her
 *    device as verified by cross-signing — once for users who set it up before sharing a room, once
 *    for alice and bob who share rooms already;
 * 3. alice sets up recovery (secret storage + key backup), sends a message, logs in on a new
 *    device, types in the recovery key, restores the backup and decrypts that old message.
 * The federated variant of step 1 is e2ee-federation-matrix-js-sdk.test.ts.
 */
import '../harness/matrix-sdk-polyfills.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventType, MsgType } from 'matrix-js-sdk';
import { CrossSigningKey } from 'matrix-js-sdk/lib/crypto-api/index.js';
import { startClientTestServer, type ClientTestServer, type TestUser } from '../clientapi/client-test-server.js';
import {
  bootstrapCrossSigning,
  createEncryptedRoom,
  sendAndDecrypt,
  setUpRecovery,
  startCryptoClient,
  verifyBySas,
  waitForAsync,
  waitForDecrypted,
  type CryptoClient,
} from '../harness/matrix-sdk-crypto.js';

const V3 = '/_matrix/client/v3';

/**
 * The Rust crypto trusts a user only once a `/keys/query` shows the signature it uploaded, and
 * re-queries a user it tracks only when `/sync` lists them in `device_lists.changed`.
 */
describe('E2EE through matrix-js-sdk with Rust crypto, one server', () => {
  let hs: ClientTestServer;
  let aliceUser: TestUser;
  let alice: CryptoClient;
  let bob: CryptoClient;
  /** Clients started by a test besides alice and bob, stopped after the suite. */
  const extra: CryptoClient[] = [];

  before(async () => {
    hs = await startClientTestServer();
    aliceUser = await hs.register('alice', { password: 'alice-password-long' });
    const bobUser = await hs.register('bob', { password: 'bob-password-long' });
    alice = await startCryptoClient(hs.url, aliceUser);
    bob = await startCryptoClient(hs.url, bobUser);
  });
  after(async () => {
    for (const c of [alice, bob, ...extra]) c?.client.stopClient();
    await hs?.stop();
  });

  it('alice and bob each decrypt the other’s message in an encrypted room', async () => {
    const roomId = await createEncryptedRoom(alice, [bob]);
    const fromAlice = await sendAndDecrypt(alice, bob, roomId, 'hello bob, this is secret');
    const fromBob = await sendAndDecrypt(bob, alice, roomId, 'hello alice, secret too');
    assert.equal(fromAlice.getSender(), alice.creds.userId);
    assert.equal(fromBob.getSender(), bob.creds.userId);

    // What the server holds is ciphertext: the event as stored, read back raw.
    for (const id of [fromAlice.getId()!, fromBob.getId()!]) {
      const res = await hs.call('GET', `${V3}/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(id)}`, { token: aliceUser.accessToken });
      assert.equal(res.status, 200);
      assert.equal(res.body.type, EventType.RoomMessageEncrypted);
      const content = res.body.content as Record<string, unknown>;
      assert.equal(content.algorithm, 'm.megolm.v1.aes-sha2');
      assert.equal(typeof content.ciphertext, 'string');
      assert.equal(content.body, undefined);
    }
  });

  it('bootstraps cross-signing; after SAS the other user sees the device verified by cross-signing', async () => {
    // Fresh users who set up cross-signing before sharing a room: each first downloads the
    // other's keys when the room makes them track each other, cross-signing keys included.
    const carol = await startCryptoClient(hs.url, await hs.register('carol', { password: 'carol-password-long' }));
    const dave = await startCryptoClient(hs.url, await hs.register('dave', { password: 'dave-password-long' }));
    extra.push(carol, dave);
    await bootstrapCrossSigning(carol);
    const status = await carol.crypto.getCrossSigningStatus();
    assert.deepEqual(
      { publicKeysOnDevice: status.publicKeysOnDevice, privateKeysCachedLocally: status.privateKeysCachedLocally },
      { publicKeysOnDevice: true, privateKeysCachedLocally: { masterKey: true, selfSigningKey: true, userSigningKey: true } },
    );
    assert.equal(await carol.crypto.isCrossSigningReady(), true);
    await bootstrapCrossSigning(dave);
    await createEncryptedRoom(carol, [dave]);
    await expectTrust(dave, carol, { identityKnown: true, verified: false });

    await verifyBySas(dave, carol);
    await expectMasterKeySignedBy(hs, dave, carol);
    await expectTrust(dave, carol, { identityKnown: true, verified: true });
  });

  it("shows bob alice's cross-signing set up after they met, verified by SAS", async () => {
    // alice and bob share rooms already: bob learns of alice's new keys only through
    // `device_lists.changed` in his sync, and alice of her own device's new signature likewise.
    await bootstrapCrossSigning(alice);
    assert.equal(await alice.crypto.isCrossSigningReady(), true);
    await waitForAsync(async () => (await alice.crypto.getDeviceVerificationStatus(alice.creds.userId, alice.creds.deviceId))?.crossSigningVerified === true, "alice's own device signed by her self-signing key");
    await expectTrust(bob, alice, { identityKnown: true, verified: false });
    await bootstrapCrossSigning(bob);
    await waitForAsync(() => alice.crypto.userHasCrossSigningKeys(bob.creds.userId), "alice learning bob's cross-signing keys");
    await verifyBySas(bob, alice);
    await expectMasterKeySignedBy(hs, bob, alice);
    await expectTrust(bob, alice, { identityKnown: true, verified: true });
  });

  it('restores a key backup on a new device, which then decrypts an old message', async () => {
    const roomId = await createEncryptedRoom(alice, [bob]);
    const recoveryKey = await setUpRecovery(alice);
    const version = (await alice.crypto.getKeyBackupInfo())?.version;
    assert.equal(typeof version, 'string');
    assert.equal(await alice.crypto.getActiveSessionBackupVersion(), version);

    const old = await sendAndDecrypt(alice, bob, roomId, 'an old secret for my next device');
    // The SDK uploads room keys after a random delay (up to 10 s): wait until the server has this one.
    const sessionId = old.getWireContent().session_id as string;
    await waitForBackedUpSession(hs, aliceUser.accessToken, version!, roomId, sessionId);

    const newDevice = await hs.login('alice', aliceUser.password);
    const fresh = await startCryptoClient(hs.url, newDevice, { recoveryKey });
    extra.push(fresh);
    await fresh.crypto.loadSessionBackupPrivateKeyFromSecretStorage();
    const restored = await fresh.crypto.restoreKeyBackup();
    assert.ok(restored.imported >= 1, `imported ${restored.imported} of ${restored.total}`);
    const ev = await waitForDecrypted(fresh.client, roomId, old.getId()!);
    assert.equal(ev.getType(), EventType.RoomMessage);
    assert.deepEqual(ev.getContent(), { msgtype: MsgType.Text, body: 'an old secret for my next device' });
  });
});

/** Polls `GET /room_keys/keys/{roomId}/{sessionId}` until the backup holds the session. */
async function waitForBackedUpSession(hs: ClientTestServer, token: string, version: string, roomId: string, sessionId: string): Promise<void> {
  const path = `${V3}/room_keys/keys/${encodeURIComponent(roomId)}/${encodeURIComponent(sessionId)}?version=${encodeURIComponent(version)}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await hs.call('GET', path, { token });
    if (res.status === 200) return;
    if (Date.now() > deadline) assert.fail(`the session never reached the backup: ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits until `observer` knows `target`'s cross-signing identity and trusts it (and therefore
 * `target`'s device, signed by its self-signing key) exactly as `want` says.
 */
async function expectTrust(observer: CryptoClient, target: CryptoClient, want: { identityKnown: boolean; verified: boolean }): Promise<void> {
  const { userId, deviceId } = target.creds;
  const state = async () => ({
    identityKnown: await observer.crypto.userHasCrossSigningKeys(userId),
    verified: (await observer.crypto.getUserVerificationStatus(userId)).isCrossSigningVerified(),
    deviceVerified: (await observer.crypto.getDeviceVerificationStatus(userId, deviceId))?.crossSigningVerified ?? false,
  });
  const expected = { ...want, deviceVerified: want.verified };
  let last = await state();
  await waitForAsync(async () => {
    last = await state();
    return JSON.stringify(last) === JSON.stringify(expected);
  }, `${observer.creds.userId}'s view of ${userId}: ${JSON.stringify(expected)}`).catch((e: Error) => {
    throw new Error(`${e.message}; last seen ${JSON.stringify(last)}`, { cause: e });
  });
  const master = await target.crypto.getCrossSigningKeyId();
  const known = await observer.crypto.getUserCrossSigningKeys(userId);
  assert.deepEqual(Object.values(known?.[CrossSigningKey.Master]?.keys ?? {}), [master], 'the master key the observer knows is the target’s');
}

/**
 * Waits until the server holds `target`'s master key with `signer`'s user-signing signature
 * (uploaded by the SDK once the verification is done): what `signer`'s other devices will trust.
 */
async function expectMasterKeySignedBy(hs: ClientTestServer, signer: CryptoClient, target: CryptoClient): Promise<void> {
  const usk = await signer.crypto.getCrossSigningKeyId(CrossSigningKey.UserSigning);
  assert.ok(usk);
  let master: { signatures?: Record<string, Record<string, string>> } | undefined;
  await waitForAsync(async () => {
    const res = await hs.call('POST', `${V3}/keys/query`, { token: signer.creds.accessToken, body: { device_keys: { [target.creds.userId]: [] } } });
    assert.equal(res.status, 200);
    master = (res.body.master_keys as Record<string, typeof master>)[target.creds.userId];
    return typeof master?.signatures?.[signer.creds.userId]?.[`ed25519:${usk}`] === 'string';
  }, `${signer.creds.userId}'s signature of ${target.creds.userId}'s master key on the server`).catch((e: Error) => {
    throw new Error(`${e.message}; last seen ${JSON.stringify(master)}`, { cause: e });
  });
}
