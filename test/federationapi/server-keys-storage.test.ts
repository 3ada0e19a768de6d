/**
 * `federationapi_server_keys` on both engines: storing a checked response (current and old
 * keys), reading a key back with every field, the distinct responses of a server for notary
 * answers, and a stale response never replacing a fresher one.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createFederationStorage, openFederationStorage } from '../../src/federationapi/storage/index.js';
import { buildServerKeys, parseServerKeys, type OldVerifyKey, type ServerKeys } from '../../src/matrix/server-keys.js';
import { generateSigningKey, type SigningKey } from '../../src/matrix/signing-key.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

function checked(serverName: string, keys: SigningKey[], validUntilTs: number, oldKeys: OldVerifyKey[] = []): ServerKeys {
  const parsed = parseServerKeys(buildServerKeys({ serverName, signingKeys: keys, oldKeys, validUntilTs }), serverName);
  assert.ok(parsed.ok);
  return parsed.keys;
}

describeEachBackend('federationapi server keys storage', (ctx) => {
  it('stores current and old keys with their response and reads them back exactly', async () => {
    const storage = await openFederationStorage(await ctx.open());
    const k1 = generateSigningKey('k1');
    const old = generateSigningKey('old');
    const keys = checked('remote.test', [k1], 5_000_000, [{ keyId: old.keyId, key: old.publicKeyBase64, expiredTs: 1_000 }]);
    await storage.storeServerKeys(keys, 42);

    assert.deepEqual(await storage.getServerKey('remote.test', k1.keyId), {
      serverName: 'remote.test',
      keyId: k1.keyId,
      publicKey: k1.publicKeyBase64,
      validUntilTs: 5_000_000,
      expiredTs: undefined,
      fetchedAt: 42,
    });
    assert.deepEqual(await storage.getServerKey('remote.test', old.keyId), {
      serverName: 'remote.test',
      keyId: old.keyId,
      publicKey: old.publicKeyBase64,
      validUntilTs: 5_000_000,
      expiredTs: 1_000,
      fetchedAt: 42,
    });
    assert.equal(await storage.getServerKey('remote.test', 'ed25519:nope'), undefined);
    assert.equal(await storage.getServerKey('other.test', k1.keyId), undefined);
    // One response, listed once although two rows carry it.
    assert.deepEqual(await storage.getServerKeysResponses('remote.test'), [{ json: keys.json, validUntilTs: 5_000_000, fetchedAt: 42 }]);
    assert.deepEqual(await storage.getServerKeysResponses('other.test'), []);
  });

  it('replaces a key only with a response valid at least as long', async () => {
    const storage = await openFederationStorage(await ctx.open());
    const k1 = generateSigningKey('k1');
    await storage.storeServerKeys(checked('remote.test', [k1], 2_000), 10);
    // A fresher response wins …
    await storage.storeServerKeys(checked('remote.test', [k1], 3_000), 20);
    assert.equal((await storage.getServerKey('remote.test', k1.keyId))?.validUntilTs, 3_000);
    // … a stale one (a notary's old cache) does not.
    await storage.storeServerKeys(checked('remote.test', [k1], 2_500), 30);
    const row = await storage.getServerKey('remote.test', k1.keyId);
    assert.equal(row?.validUntilTs, 3_000);
    assert.equal(row?.fetchedAt, 20);
  });

  it('marks a rotated-out key old and serves every distinct response, longest valid first', async () => {
    const storage = await openFederationStorage(await ctx.open());
    const k1 = generateSigningKey('k1');
    const k2 = generateSigningKey('k2');
    const k3 = generateSigningKey('k3');
    const first = checked('remote.test', [k1, k3], 1_000);
    await storage.storeServerKeys(first, 1);
    const second = checked('remote.test', [k2], 2_000, [{ keyId: k1.keyId, key: k1.publicKeyBase64, expiredTs: 1_500 }]);
    await storage.storeServerKeys(second, 2);
    assert.equal((await storage.getServerKey('remote.test', k1.keyId))?.expiredTs, 1_500);
    assert.equal((await storage.getServerKey('remote.test', k2.keyId))?.expiredTs, undefined);
    // k3 only appears in the first response, so both responses are still served.
    const responses = await storage.getServerKeysResponses('remote.test');
    assert.deepEqual(
      responses.map((r) => [r.validUntilTs, r.fetchedAt, r.json]),
      [
        [2_000, 2, second.json],
        [1_000, 1, first.json],
      ],
    );
  });

  it('keeps a key listed as both current and old current, and survives reopening', async () => {
    const database = await ctx.open();
    const storage = await openFederationStorage(database);
    const k1 = generateSigningKey('k1');
    await storage.storeServerKeys(checked('remote.test', [k1], 9_000, [{ keyId: k1.keyId, key: k1.publicKeyBase64, expiredTs: 5 }]), 7);
    // Migrations are idempotent; a second storage over the same database reads the same rows.
    const again = await openFederationStorage(database);
    assert.equal((await again.getServerKey('remote.test', k1.keyId))?.expiredTs, undefined);
    assert.equal((await createFederationStorage(database).getServerKey('remote.test', k1.keyId))?.publicKey, k1.publicKeyBase64);
  });
});
