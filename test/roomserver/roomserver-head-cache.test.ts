/**
 * The cached room heads: exact while one writer moves a room's head, and a write built on a head
 * another writer moved is refused and rolled back instead of overwriting it.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { linearRoom, testEvent } from './roomserver-test-kit.js';
import { openRoomserverStorage } from '../../src/roomserver/storage/index.js';

describeEachBackend('roomserver room heads', (ctx) => {
  it('serves the head from the cache and refuses a write on a head moved elsewhere', async () => {
    const database = await ctx.open();
    const mine = await openRoomserverStorage(database);
    const other = await openRoomserverStorage(database);
    const room = await linearRoom(mine, '!heads:a.test');
    const { event: m1 } = await room.append('m.room.message', { body: 'one' });
    assert.deepEqual((await mine.getRoomInfo(room.roomId))?.forwardExtremities, [m1.eventId]);
    assert.equal((await mine.getRoomInfo(room.roomId))?.lastStreamPosition, 2);

    // Another storage (another process) moves the head: `mine` still holds the old one.
    const m2 = testEvent({ roomId: room.roomId, type: 'm.room.message', sender: '@alice:a.test', prevEvents: [m1.eventId], depth: 3 });
    await other.storeEvent({ event: m2, stateBefore: { base: { afterEvent: m1.eventId } }, updateHead: {} });
    assert.deepEqual((await mine.getRoomInfo(room.roomId))?.forwardExtremities, [m1.eventId]);

    const m3 = testEvent({ roomId: room.roomId, type: 'm.room.message', sender: '@alice:a.test', prevEvents: [m1.eventId], depth: 3 });
    await assert.rejects(
      mine.storeEvent({ event: m3, stateBefore: { base: { current: true } }, updateHead: {} }),
      /head of room !heads:a\.test was moved by another writer/,
    );
    assert.deepEqual(await mine.getMissingEventIds([m3.eventId]), [m3.eventId]);
    // The refused write dropped the stale head: the next read is the stored one.
    const info = await mine.getRoomInfo(room.roomId);
    assert.deepEqual(info?.forwardExtremities, [m2.eventId]);
    assert.equal(info?.lastStreamPosition, 3);
  });

  it('stores a repeat once after the optimistic insert meets the stored row', async () => {
    const database = await ctx.open();
    const mine = await openRoomserverStorage(database);
    const other = await openRoomserverStorage(database);
    const room = await linearRoom(other, '!repeat:a.test');
    const m1 = testEvent({ roomId: room.roomId, type: 'm.room.message', sender: '@alice:a.test', prevEvents: [room.last!.eventId], depth: 2 });
    const first = await other.storeEvent({ event: m1, stateBefore: { base: { current: true } }, updateHead: {} });
    // `mine` has never seen m1: its insert conflicts, and the careful pass reports it stored.
    const again = await mine.storeEvent({ event: m1, stateBefore: { base: { current: true } }, updateHead: {} });
    assert.equal(first.alreadyStored, false);
    assert.equal(again.alreadyStored, true);
    assert.deepEqual(again.forwardExtremities, [m1.eventId]);
    assert.equal(again.streamPosition, 2);
  });
});
