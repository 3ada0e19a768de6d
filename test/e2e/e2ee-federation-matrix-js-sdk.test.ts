/**
 * End-to-end encryption across two federating Axon servers with a real client: alice on A and bob
 * on B (matrix-js-sdk, Rust crypto in memory) in a Megolm-encrypted room each send a message the
 * other decrypts. For that, each server must fetch the other's users' device keys
 * (`/user/keys/query`) and one-time keys (`/user/keys/claim`) over federation, and carry the
 * Olm-encrypted room keys as `m.direct_to_device` EDUs.
 */
import '../harness/matrix-sdk-polyfills.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestUser } from '../clientapi/client-test-server.js';
import { createEncryptedRoom, sendAndDecrypt, startCryptoClient, type CryptoClient } from '../harness/matrix-sdk-crypto.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair } from '../harness/start-federated-pair.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the federated E2EE suite: ${skip}`);

const V3 = '/_matrix/client/v3';

describe('E2EE through matrix-js-sdk with Rust crypto, two federating servers', { skip }, () => {
  let pair: FederatedPair;
  let aliceUser: TestUser;
  let alice: CryptoClient;
  let bob: CryptoClient;

  before(async () => {
    pair = await startFederatedPair();
    aliceUser = await pair.a.client.register('alice', { password: 'alice-password-long' });
    const bobUser = await pair.b.client.register('bob', { password: 'bob-password-long' });
    alice = await startCryptoClient(pair.a.clientUrl, aliceUser);
    bob = await startCryptoClient(pair.b.clientUrl, bobUser);
  });
  after(async () => {
    for (const c of [alice, bob]) c?.client.stopClient();
    await pair?.stop();
  });

  it('alice on A and bob on B each decrypt the other’s message in an encrypted room', async () => {
    const roomId = await createEncryptedRoom(alice, [bob]);
    const fromAlice = await sendAndDecrypt(alice, bob, roomId, 'hello bob over there');
    const fromBob = await sendAndDecrypt(bob, alice, roomId, 'hello alice, back at you');
    assert.deepEqual([fromAlice.getSender(), fromBob.getSender()], [alice.creds.userId, bob.creds.userId]);

    // B stored what A sent as ciphertext, as every server in between must.
    const res = await pair.b.client.call('GET', `${V3}/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(fromAlice.getId()!)}`, {
      token: bob.creds.accessToken,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'm.room.encrypted');
    assert.equal((res.body.content as Record<string, unknown>).algorithm, 'm.megolm.v1.aes-sha2');
  });
});
