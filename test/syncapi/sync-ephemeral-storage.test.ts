/**
 * The syncapi's receipts and presence on SQLite and PostgreSQL: positions taken anew each time a
 * receipt or a presence moves, redeliveries and stale messages changing nothing, private and
 * threaded receipts stored as they came, presence read for room-mates only, and the consumers
 * waking exactly who may see what they stored.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { ReceiptSent } from '../../src/clientapi/producers/output-receipt-event.js';
import { handleReceipt } from '../../src/syncapi/consumers/clientapi-receipts.js';
import { handlePresence } from '../../src/syncapi/consumers/userapi-presence.js';
import { openSyncStorage, type PresenceWrite, type ReceiptWrite, type SyncStorage } from '../../src/syncapi/storage/index.js';
import type { PresenceChanged } from '../../src/userapi/producers/output-presence.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

const ALICE = '@alice:hs.test';
const BOB = '@bob:hs.test';
const CAROL = '@carol:hs.test';
const R1 = '!one:hs.test';
const R2 = '!two:hs.test';

describeEachBackend('syncapi receipts and presence storage', (ctx) => suite(ctx));

/** A notifier stand-in recording whom it was asked to wake. */
function wakeLog() {
  const woken: string[] = [];
  return {
    woken,
    wakeRoom: (roomId: string) => void woken.push(`room:${roomId}`),
    wakeUsers: (userIds: Iterable<string>) => void woken.push(...[...userIds].map((u) => `user:${u}`)),
    wakeRoomMates: (userId: string) => void woken.push(`mates:${userId}`),
  };
}

function suite(ctx: BackendContext): void {
  let storage: SyncStorage;
  before(async () => {
    storage = await openSyncStorage(await ctx.open());
  });

  const receipt = (r: Partial<ReceiptWrite> & Pick<ReceiptWrite, 'eventId' | 'ts'>): ReceiptWrite => ({
    roomId: R1,
    receiptType: 'm.read',
    userId: ALICE,
    threadId: null,
    ...r,
  });

  it('receipts: one per (room, type, user, thread), a new position each time one moves', async () => {
    assert.equal(await storage.latestReceiptPosition(), 0);
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$a1', ts: 100 })), 1);
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$a1', ts: 100, threadId: 'main' })), 2);
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$a1', ts: 100, threadId: '$root' })), 3);
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$a1', ts: 100, receiptType: 'm.read.private' })), 4);
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$b1', ts: 101, userId: BOB })), 5);
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$c1', ts: 102, roomId: R2 })), 6);
    // The same event again (a redelivery) and an older receipt (a late one) change nothing.
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$a1', ts: 100 })), undefined);
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$a0', ts: 99 })), undefined);
    // Moving the unthreaded receipt replaces it at a new position.
    assert.equal(await storage.writeReceipt(receipt({ eventId: '$a2', ts: 110 })), 7);
    assert.equal(await storage.latestReceiptPosition(), 7);

    const all = await storage.receipts([R1], 0, 7);
    assert.deepEqual(
      all.map((r) => [r.position, r.roomId, r.receiptType, r.userId, r.threadId, r.eventId, r.ts]),
      [
        [2, R1, 'm.read', ALICE, 'main', '$a1', 100],
        [3, R1, 'm.read', ALICE, '$root', '$a1', 100],
        [4, R1, 'm.read.private', ALICE, null, '$a1', 100],
        [5, R1, 'm.read', BOB, null, '$b1', 101],
        [7, R1, 'm.read', ALICE, null, '$a2', 110],
      ],
    );
    assert.deepEqual((await storage.receipts([R1, R2], 4, 6)).map((r) => r.position), [5, 6]);
    assert.deepEqual((await storage.receipts([R1, R2], 7, 7)).map((r) => r.position), []);
    assert.deepEqual((await storage.receipts([], 0, 7)).map((r) => r.position), []);
    assert.deepEqual((await storage.receipts(['!none:hs.test'], 0, 7)).map((r) => r.position), []);
  });

  it('the receipt consumer stores and wakes the room, or only the owner for a private receipt, and nobody for a duplicate', async () => {
    const log = wakeLog();
    const deps = { storage, notifier: log };
    const msg = (m: Partial<ReceiptSent>): ReceiptSent => ({ type: 'receipt', roomId: R2, userId: BOB, eventId: '$x', receiptType: 'm.read', threadId: null, ts: 500, ...m });
    await handleReceipt(deps, msg({}));
    await handleReceipt(deps, msg({}));
    await handleReceipt(deps, msg({ receiptType: 'm.read.private' }));
    assert.deepEqual(log.woken, [`room:${R2}`, `user:${BOB}`]);
    assert.deepEqual(
      (await storage.receipts([R2], 7, 100)).map((r) => [r.position, r.receiptType, r.userId, r.eventId]),
      [
        [8, 'm.read', BOB, '$x'],
        [9, 'm.read.private', BOB, '$x'],
      ],
    );
  });

  const presence = (p: Partial<PresenceWrite> & Pick<PresenceWrite, 'userId' | 'sourcePosition'>): PresenceWrite => ({
    presence: 'online',
    statusMsg: null,
    lastActiveTs: 1000,
    currentlyActive: true,
    ...p,
  });

  it('presence: the latest per user, a new position per change, stale or repeated changes dropped', async () => {
    assert.equal(await storage.latestPresencePosition(), 0);
    assert.equal(await storage.presenceOf(ALICE), undefined);
    assert.equal(await storage.writePresence(presence({ userId: ALICE, sourcePosition: 5 })), 1);
    assert.equal(await storage.writePresence(presence({ userId: BOB, sourcePosition: 6, presence: 'unavailable', statusMsg: 'away', lastActiveTs: null, currentlyActive: false })), 2);
    assert.equal(await storage.writePresence(presence({ userId: ALICE, sourcePosition: 5 })), undefined);
    assert.equal(await storage.writePresence(presence({ userId: ALICE, sourcePosition: 4, presence: 'offline' })), undefined);
    assert.equal(await storage.writePresence(presence({ userId: ALICE, sourcePosition: 9, presence: 'offline', lastActiveTs: 2000, currentlyActive: false })), 3);
    assert.equal(await storage.writePresence(presence({ userId: CAROL, sourcePosition: 10 })), 4);
    assert.equal(await storage.latestPresencePosition(), 4);
    assert.deepEqual(await storage.presenceOf(ALICE), {
      position: 3,
      userId: ALICE,
      presence: 'offline',
      statusMsg: null,
      lastActiveTs: 2000,
      currentlyActive: false,
      sourcePosition: 9,
    });
    assert.deepEqual(await storage.presenceOf(BOB), {
      position: 2,
      userId: BOB,
      presence: 'unavailable',
      statusMsg: 'away',
      lastActiveTs: null,
      currentlyActive: false,
      sourcePosition: 6,
    });
  });

  it("presence of room-mates: the user's own and that of users joined to the given rooms, in a range", async () => {
    // Alice and Bob are joined to R1; Carol only invited to it, and joined to R2.
    let n = 0;
    const member = async (roomId: string, userId: string, membership: string) => {
      const eventId = `$m${++n}`;
      const json = JSON.stringify({ type: 'm.room.member', state_key: userId, sender: userId, content: { membership }, event_id: eventId, room_id: roomId });
      await storage.writeRoomEvent({
        event: {
          roomId,
          eventId,
          type: 'm.room.member',
          sender: userId,
          stateKey: userId,
          membership,
          depth: n,
          originServerTs: n,
          json,
          strippedState: null,
          addsState: [eventId],
          removesState: [],
          txnDeviceId: null,
          txnId: null,
        },
        adds: [{ type: 'm.room.member', stateKey: userId, eventId, json, membership }],
        removes: [],
      });
    };
    await member(R1, ALICE, 'join');
    await member(R1, BOB, 'join');
    await member(R1, CAROL, 'invite');
    await member(R2, CAROL, 'join');
    const users = async (roomIds: string[], userId: string, after: number, upTo: number) =>
      (await storage.presenceOfRoomMembers(roomIds, userId, after, upTo)).map((p) => [p.position, p.userId]);
    assert.deepEqual(await users([R1], ALICE, 0, 4), [
      [2, BOB],
      [3, ALICE],
    ]);
    assert.deepEqual(await users([R1], ALICE, 2, 4), [[3, ALICE]]);
    assert.deepEqual(await users([R1, R2], BOB, 0, 3), [
      [2, BOB],
      [3, ALICE],
    ]);
    assert.deepEqual(await users([R1, R2], BOB, 0, 4), [
      [2, BOB],
      [3, ALICE],
      [4, CAROL],
    ]);
    // In no room: only their own.
    assert.deepEqual(await users([], CAROL, 0, 4), [[4, CAROL]]);
    assert.deepEqual(await users([R1], ALICE, 4, 4), []);
  });

  it('the presence consumer stores and wakes the room-mates, and nobody for a duplicate', async () => {
    const log = wakeLog();
    const deps = { storage, notifier: log };
    const msg: PresenceChanged = { type: 'presence', userId: BOB, presence: 'online', statusMsg: 'hi', lastActiveTs: 3000, currentlyActive: true, streamPosition: 20 };
    await handlePresence(deps, msg);
    await handlePresence(deps, msg);
    assert.deepEqual(log.woken, [`mates:${BOB}`]);
    assert.deepEqual(await storage.presenceOf(BOB), { position: 5, userId: BOB, presence: 'online', statusMsg: 'hi', lastActiveTs: 3000, currentlyActive: true, sourcePosition: 20 });
  });
}
