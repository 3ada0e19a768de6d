/**
 * The outbound sender's storage on both engines: queueing for many destinations at once, the
 * oldest ≤ N of a destination in order, deleting what was delivered (and only that), the
 * destinations with pending work, destination health, and blacklisting (which drops the queue
 * and keeps anything new from being queued).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openFederationStorage } from '../../src/federationapi/storage/index.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

const pdu = (n: number) => ({ event_id: `$e${n}`, type: 'm.room.message', content: { body: `message ${n}` } });
const edu = (n: number) => ({ edu_type: 'm.typing', content: { room_id: '!r:a.test', user_id: `@u${n}:a.test`, typing: true } });

describeEachBackend('federationapi outbound queue storage', (ctx) => {
  it('queues for several destinations in order and reads the oldest first, capped', async () => {
    const s = await openFederationStorage(await ctx.open());
    assert.deepEqual(await s.queuePdus(['b.test', 'a.test', 'b.test'], [pdu(1), pdu(2)]), ['b.test', 'a.test']);
    assert.deepEqual(await s.queuePdus(['a.test'], [pdu(3), pdu(4), pdu(5)]), ['a.test']);
    assert.deepEqual(await s.queueEdus(['a.test', 'c.test'], [edu(1), edu(2), edu(3)]), ['a.test', 'c.test']);
    assert.deepEqual(await s.queuePdus([], [pdu(9)]), []);
    assert.deepEqual(await s.queuePdus(['a.test'], []), []);

    const a = await s.pendingTransaction('a.test', 4, 2);
    assert.deepEqual(a.pdus, [pdu(1), pdu(2), pdu(3), pdu(4)]);
    assert.deepEqual(a.edus, [edu(1), edu(2)]);
    assert.equal(a.handle.pduIds.length, 4);
    const b = await s.pendingTransaction('b.test', 50, 100);
    assert.deepEqual(b.pdus, [pdu(1), pdu(2)]);
    assert.deepEqual(b.edus, []);
    const c = await s.pendingTransaction('c.test', 50, 100);
    assert.deepEqual([c.pdus, c.edus], [[], [edu(1), edu(2), edu(3)]]);
    assert.deepEqual(await s.destinationsWithPending(), ['a.test', 'b.test', 'c.test']);
    const none = await s.pendingTransaction('z.test', 50, 100);
    assert.deepEqual(none, { pdus: [], edus: [], handle: { pduIds: [], eduIds: [] } });
  });

  it('deletes exactly what a delivered transaction carried, for that destination only', async () => {
    const s = await openFederationStorage(await ctx.open());
    await s.queuePdus(['a.test', 'b.test'], [pdu(1), pdu(2), pdu(3)]);
    await s.queueEdus(['a.test'], [edu(1), edu(2)]);
    const first = await s.pendingTransaction('a.test', 2, 1);
    // Queued after the read: must survive the delete.
    await s.queuePdus(['a.test'], [pdu(4)]);
    // A handle used for another destination removes nothing there.
    await s.deleteDelivered('b.test', first.handle);
    assert.deepEqual((await s.pendingTransaction('b.test', 50, 100)).pdus, [pdu(1), pdu(2), pdu(3)]);
    await s.deleteDelivered('a.test', first.handle);
    const rest = await s.pendingTransaction('a.test', 50, 100);
    assert.deepEqual(rest.pdus, [pdu(3), pdu(4)]);
    assert.deepEqual(rest.edus, [edu(2)]);
    await s.deleteDelivered('a.test', rest.handle);
    assert.deepEqual(await s.destinationsWithPending(), ['b.test']);
  });

  it('records, reads and clears destination health', async () => {
    const s = await openFederationStorage(await ctx.open());
    assert.equal(await s.destinationHealth('a.test'), undefined);
    const h = { serverName: 'a.test', failureCount: 3, failingSince: 1_700_000_000_000, retryAt: 1_700_000_040_000, blacklistedAt: undefined };
    await s.setDestinationHealth(h);
    assert.deepEqual(await s.destinationHealth('a.test'), h);
    await s.setDestinationHealth({ ...h, failureCount: 4, retryAt: 1_700_000_080_000 });
    assert.deepEqual(await s.destinationHealth('a.test'), { ...h, failureCount: 4, retryAt: 1_700_000_080_000 });
    assert.deepEqual(await s.blacklistedDestinations(), []);
    await s.clearDestinationHealth('a.test');
    assert.equal(await s.destinationHealth('a.test'), undefined);
  });

  it('blacklisting drops the queue and refuses new items until cleared', async () => {
    const s = await openFederationStorage(await ctx.open());
    await s.queuePdus(['dead.test', 'live.test'], [pdu(1)]);
    await s.queueEdus(['dead.test'], [edu(1)]);
    const h = { serverName: 'dead.test', failureCount: 30, failingSince: 1_000, retryAt: 5_000, blacklistedAt: 4_000 };
    await s.setDestinationHealth(h);
    assert.deepEqual(await s.destinationHealth('dead.test'), h);
    assert.deepEqual(await s.blacklistedDestinations(), ['dead.test']);
    assert.deepEqual(await s.destinationsWithPending(), ['live.test']);
    assert.deepEqual(await s.queuePdus(['dead.test', 'live.test'], [pdu(2)]), ['live.test']);
    assert.deepEqual(await s.queueEdus(['dead.test'], [edu(2)]), []);
    assert.deepEqual(await s.pendingTransaction('dead.test', 50, 100), { pdus: [], edus: [], handle: { pduIds: [], eduIds: [] } });
    await s.clearDestinationHealth('dead.test');
    assert.deepEqual(await s.blacklistedDestinations(), []);
    assert.deepEqual(await s.queuePdus(['dead.test'], [pdu(3)]), ['dead.test']);
    assert.deepEqual((await s.pendingTransaction('dead.test', 50, 100)).pdus, [pdu(3)]);
  });

  it('queues a large fan-out in one call', async () => {
    const s = await openFederationStorage(await ctx.open());
    const many = Array.from({ length: 300 }, (_, i) => `s${String(i).padStart(3, '0')}.test`);
    const pdus = Array.from({ length: 5 }, (_, i) => pdu(i));
    assert.equal((await s.queuePdus(many, pdus)).length, 300);
    assert.deepEqual(await s.destinationsWithPending(), many);
    assert.deepEqual((await s.pendingTransaction('s299.test', 50, 100)).pdus, pdus);
  });
});
