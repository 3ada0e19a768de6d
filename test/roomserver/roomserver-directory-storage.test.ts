/** Roomserver storage: aliases, the room directory, invites and redactions, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openRoomserverStorage, type RoomserverStorage, type StoredInvite } from '../../src/roomserver/storage/index.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { linearRoom, testEvent } from './roomserver-test-kit.js';

describeEachBackend('roomserver directory storage', (ctx) => {
  describe('tables', () => {
    let s: RoomserverStorage;
    before(async () => {
      s = await openRoomserverStorage(await ctx.open());
    });

    it('creates aliases once, lists and removes them', async () => {
      assert.equal(await s.setRoomAlias('#a:a.test', '!r:a.test', '@alice:a.test'), true);
      assert.equal(await s.setRoomAlias('#a:a.test', '!other:a.test', '@bob:a.test'), false);
      assert.equal(await s.setRoomAlias('#b:a.test', '!r:a.test', '@bob:a.test'), true);
      assert.deepEqual(await s.getRoomAlias('#a:a.test'), { roomId: '!r:a.test', creatorId: '@alice:a.test' });
      assert.deepEqual(await s.getAliasesForRoom('!r:a.test'), ['#a:a.test', '#b:a.test']);
      assert.equal(await s.removeRoomAlias('#a:a.test'), true);
      assert.equal(await s.removeRoomAlias('#a:a.test'), false);
      assert.equal(await s.getRoomAlias('#a:a.test'), undefined);
      assert.deepEqual(await s.getAliasesForRoom('!r:a.test'), ['#b:a.test']);
    });

    it('publishes rooms per directory list', async () => {
      await s.setRoomPublished('!p1:a.test', true);
      await s.setRoomPublished('!p2:a.test', true);
      await s.setRoomPublished('!p2:a.test', false);
      await s.setRoomPublished('!p3:a.test', true, { appserviceId: 'irc', networkId: 'libera' });
      assert.equal(await s.isRoomPublished('!p1:a.test'), true);
      assert.equal(await s.isRoomPublished('!p2:a.test'), false);
      assert.equal(await s.isRoomPublished('!p3:a.test'), false);
      assert.equal(await s.isRoomPublished('!p3:a.test', { appserviceId: 'irc', networkId: 'libera' }), true);
      assert.deepEqual(await s.getPublishedRooms({}), ['!p1:a.test']);
      assert.deepEqual(await s.getPublishedRooms({ appserviceId: 'irc', networkId: 'libera' }), ['!p3:a.test']);
      assert.deepEqual(await s.getPublishedRooms(), ['!p1:a.test', '!p3:a.test']);
    });

    it('keeps invites with stripped state until the membership moves on', async () => {
      const invite = (id: string, roomId: string): StoredInvite => ({
        inviteEventId: id,
        roomId,
        targetUserId: '@bob:b.test',
        sender: '@alice:a.test',
        eventJson: `{"event_id":"${id}"}`,
        strippedState: [{ type: 'm.room.name', state_key: '', content: { name: 'Room' }, sender: '@alice:a.test' }],
      });
      await s.addInvite(invite('$i1', '!remote:c.test'));
      await s.addInvite(invite('$i1', '!remote:c.test'));
      assert.deepEqual(await s.getPendingInvites('@bob:b.test'), [invite('$i1', '!remote:c.test')]);
      assert.deepEqual(await s.retireInvites('!remote:c.test', '@bob:b.test'), ['$i1']);
      assert.deepEqual(await s.getPendingInvites('@bob:b.test'), []);

      // Joining a room retires the pending invite in the same transaction as the join.
      const room = await linearRoom(s, '!local:a.test');
      await room.member('@alice:a.test', 'join');
      await s.addInvite(invite('$i2', room.roomId));
      await room.member('@bob:b.test', 'invite', '@alice:a.test');
      assert.deepEqual((await s.getPendingInvites('@bob:b.test', room.roomId)).map((i) => i.inviteEventId), ['$i2']);
      const { result } = await room.member('@bob:b.test', 'join');
      assert.deepEqual(result.retiredInviteEventIds, ['$i2']);
      assert.deepEqual(await s.getPendingInvites('@bob:b.test'), []);
    });

    it('records redactions and swaps in the redacted JSON once validated', async () => {
      const room = await linearRoom(s, '!redact:a.test');
      const { event: msg } = await room.append('m.room.message', { body: 'secret' });
      const redaction = testEvent({ roomId: room.roomId, type: 'm.room.redaction', sender: '@alice:a.test', content: { redacts: msg.eventId }, prevEvents: [msg.eventId], depth: 3 });
      await s.storeEvent({ event: redaction, stateBefore: { base: { afterEvent: msg.eventId } }, updateHead: {} });
      await s.addRedaction(redaction.eventId, msg.eventId);
      await s.addRedaction(redaction.eventId, msg.eventId);
      assert.deepEqual(await s.getRedactionsOf(msg.eventId), [{ redactionEventId: redaction.eventId, redactsEventId: msg.eventId, validated: false }]);
      const redacted = JSON.stringify({ ...msg.json, content: {} });
      assert.equal(await s.validateRedaction(redaction.eventId, redacted), true);
      assert.equal(await s.validateRedaction('$unknown', redacted), false);
      assert.deepEqual(await s.getRedactionsOf(msg.eventId), [{ redactionEventId: redaction.eventId, redactsEventId: msg.eventId, validated: true }]);
      const [stored] = await s.getEvents([msg.eventId]);
      assert.equal(stored?.json, redacted);
      assert.equal(stored?.redactedBy, redaction.eventId);
      // A redaction of an event not stored yet waits, unvalidated.
      await s.addRedaction('$r2', '$later');
      assert.equal(await s.validateRedaction('$r2', '{}'), false);
      assert.deepEqual(await s.getRedactionsOf('$later'), [{ redactionEventId: '$r2', redactsEventId: '$later', validated: false }]);
    });
  });
});
