/**
 * `federationapi_received_txns` on both engines: an answer stored is read back exactly, per
 * (origin, transaction ID); the first answer stored wins; pruning forgets answers by age.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openFederationStorage } from '../../src/federationapi/storage/index.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

describeEachBackend('federationapi received transactions storage', (ctx) => {
  it('stores answers per (origin, txn ID), keeps the first, prunes by age', async () => {
    const storage = await openFederationStorage(await ctx.open());
    const answer = { pdus: { '$a': {}, '$b': { error: 'format: bad' } } };
    assert.equal(await storage.getReceivedTransaction('remote.test', 't1'), undefined);
    await storage.storeReceivedTransaction('remote.test', 't1', answer, 1_000);
    await storage.storeReceivedTransaction('remote.test', 't1', { pdus: {} }, 1_500);
    await storage.storeReceivedTransaction('other.test', 't1', { pdus: {} }, 5_000);
    assert.deepEqual(await storage.getReceivedTransaction('remote.test', 't1'), answer);
    assert.deepEqual(await storage.getReceivedTransaction('other.test', 't1'), { pdus: {} });
    assert.equal(await storage.getReceivedTransaction('remote.test', 't2'), undefined);
    assert.equal(await storage.pruneReceivedTransactions(2_000), 1);
    assert.equal(await storage.getReceivedTransaction('remote.test', 't1'), undefined);
    assert.deepEqual(await storage.getReceivedTransaction('other.test', 't1'), { pdus: {} });
    assert.equal(await storage.pruneReceivedTransactions(2_000), 0);
  });
});
