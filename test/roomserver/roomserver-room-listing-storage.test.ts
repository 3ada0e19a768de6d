/** Roomserver storage: the listing of every room with its joined counts, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openRoomserverStorage, type RoomserverStorage } from '../../src/roomserver/storage/index.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { linearRoom } from './roomserver-test-kit.js';

describeEachBackend('roomserver room listing storage', (ctx) => {
  describe('getRoomListing', () => {
    let s: RoomserverStorage;
    before(async () => {
      s = await openRoomserverStorage(await ctx.open());
    });

    it('is empty without rooms', async () => {
      assert.deepEqual(await s.getRoomListing('a.test'), []);
    });

    it('counts joined and local joined members per room, leaving out rooms without state', async () => {
      const big = await linearRoom(s, '!big:a.test');
      await big.member('@alice:a.test', 'join');
      await big.member('@bob:a.test', 'join');
      await big.member('@carol:b.test', 'join');
      await big.member('@dan:b.test', 'invite', '@alice:a.test');
      await big.member('@bob:a.test', 'leave');
      const quiet = await linearRoom(s, '!quiet:a.test', '@eve:c.test');
      await quiet.member('@eve:c.test', 'join');
      const empty = await linearRoom(s, '!empty:a.test');
      await empty.member('@alice:a.test', 'join');
      await empty.member('@alice:a.test', 'leave');
      // Known only through an invite: no current state, so not listed.
      await s.addInvite({ inviteEventId: '$inv', roomId: '!invited:c.test', targetUserId: '@alice:a.test', sender: '@x:c.test', eventJson: '{}', strippedState: [] });
      assert.deepEqual(await s.getRoomListing('a.test'), [
        { roomId: '!big:a.test', roomVersion: '11', joinedMembers: 2, joinedLocalMembers: 1 },
        { roomId: '!empty:a.test', roomVersion: '11', joinedMembers: 0, joinedLocalMembers: 0 },
        { roomId: '!quiet:a.test', roomVersion: '11', joinedMembers: 1, joinedLocalMembers: 0 },
      ]);
      const fromB = await s.getRoomListing('b.test');
      assert.deepEqual(fromB.map((r) => [r.roomId, r.joinedLocalMembers]), [['!big:a.test', 1], ['!empty:a.test', 0], ['!quiet:a.test', 0]]);
      // One room's entry alone; a room without state is not one.
      assert.deepEqual(await s.getRoomListing('a.test', '!quiet:a.test'), [{ roomId: '!quiet:a.test', roomVersion: '11', joinedMembers: 1, joinedLocalMembers: 0 }]);
      assert.deepEqual(await s.getRoomListing('a.test', '!invited:c.test'), []);
    });
  });
});
