/**
 * The roomserver's directory, forget and report methods in-process on SQLite and PostgreSQL:
 * summaries read from state, visibility rights, forgetting that a rejoin undoes, stored reports.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoomserverInternalAPI } from '../../src/roomserver/internal/index.js';
import { openRoomserverStorage } from '../../src/roomserver/storage/index.js';
import { createRoomserverRecords } from '../../src/roomserver/storage/roomserver-records.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { LOCAL_KEY, SERVER, uid } from './roomserver-api-kit.js';

const isErr = (errcode: string) => (e: unknown) => e instanceof MatrixError && e.errcode === errcode;

describeEachBackend('roomserver directory, forget and report methods', (backend) => {
  describe('in-process', () => {
    let api: RoomserverAPI;
    let stop: () => Promise<void>;
    let now = 1_000;
    before(async () => {
      const database = await backend.open();
      const bus = await createEmbeddedBus({ database, pollIntervalMs: 50 });
      const outbox = await bus.outbox(database, 'roomserver');
      const storage = await openRoomserverStorage(database, { outbox });
      api = createRoomserverInternalAPI({ storage, records: createRoomserverRecords(database), outbox, serverName: SERVER, signingKey: LOCAL_KEY, now: () => now++ });
      stop = async () => {
        await bus.close();
        await database.close();
      };
    });
    after(() => stop());

    it('summarises rooms from their state and publishes them only for those with the power', async () => {
      const { roomId } = await api.performCreateRoom({ userId: uid('alice'), preset: 'public_chat', name: 'Hall', topic: 'All hands', roomAliasName: 'hall' });
      await api.performJoin({ roomIdOrAlias: roomId, userId: uid('bob') });
      await api.performSendEvents({ events: [{ roomId, type: 'm.room.guest_access', stateKey: '', sender: uid('alice'), content: { guest_access: 'can_join' } }] });
      assert.deepEqual((await api.queryPublicRoomsSummaries({ roomIds: [roomId, '!unknown:test.local'] })).rooms, [
        { roomId, name: 'Hall', topic: 'All hands', canonicalAlias: `#hall:${SERVER}`, numJoinedMembers: 2, worldReadable: false, guestCanJoin: true, avatarUrl: null, joinRule: 'public', roomType: null },
      ]);
      assert.deepEqual(await api.queryRoomVisibility({ roomId }), { exists: true, visibility: 'private' });
      await assert.rejects(api.performSetRoomVisibility({ roomId, userId: uid('bob'), visibility: 'public' }), isErr('M_FORBIDDEN'));
      assert.deepEqual(await api.performSetRoomVisibility({ roomId, userId: uid('alice'), visibility: 'public' }), { changed: true });
      assert.deepEqual(await api.performSetRoomVisibility({ roomId, userId: uid('alice'), visibility: 'public' }), { changed: false });
      assert.deepEqual((await api.queryPublicRoomsSummaries({})).rooms.map((r) => r.roomId), [roomId]);
      assert.deepEqual(await api.performSetRoomVisibility({ roomId, userId: uid('admin'), isAdmin: true, visibility: 'private' }), { changed: true });
      assert.deepEqual((await api.queryPublicRoomsSummaries({})).rooms, []);
      assert.deepEqual(await api.queryRoomVisibility({ roomId: '!unknown:test.local' }), { exists: false, visibility: 'private' });
    });

    it('forgets a left room until the user comes back', async () => {
      const { roomId } = await api.performCreateRoom({ userId: uid('alice'), preset: 'public_chat' });
      await api.performJoin({ roomIdOrAlias: roomId, userId: uid('bob') });
      await assert.rejects(api.performForgetRoom({ roomId, userId: uid('bob') }), isErr('M_UNKNOWN'));
      await api.performMembership({ action: 'leave', roomId, sender: uid('bob'), target: uid('bob') });
      assert.deepEqual(await api.performForgetRoom({ roomId, userId: uid('bob') }), { forgotten: true });
      assert.deepEqual(await api.performForgetRoom({ roomId, userId: uid('carol') }), { forgotten: false });
      assert.deepEqual(await api.queryForgottenRooms({ userId: uid('bob') }), { roomIds: [roomId] });
      await api.performJoin({ roomIdOrAlias: roomId, userId: uid('bob') });
      assert.deepEqual(await api.queryForgottenRooms({ userId: uid('bob') }), { roomIds: [] });
    });

    it('stores reports of joined events, rooms and users; refuses unknown ones', async () => {
      const { roomId } = await api.performCreateRoom({ userId: uid('alice'), preset: 'public_chat' });
      const {
        eventIds: [eventId],
      } = await api.performSendEvents({ events: [{ roomId, type: 'm.room.message', sender: uid('alice'), content: { body: 'x' } }] });
      const before = (await api.queryReports({})).reports.length;
      await assert.rejects(api.performReport({ kind: 'event', reporterId: uid('dave'), roomId, eventId: eventId!, reason: 'r' }), isErr('M_NOT_FOUND'));
      await assert.rejects(api.performReport({ kind: 'room', reporterId: uid('dave'), roomId: '!none:test.local', reason: 'r' }), isErr('M_NOT_FOUND'));
      await api.performReport({ kind: 'event', reporterId: uid('alice'), roomId, eventId: eventId!, reason: 'r', score: -50 });
      await api.performReport({ kind: 'room', reporterId: uid('dave'), roomId, reason: '' });
      await api.performReport({ kind: 'user', reporterId: uid('dave'), targetUserId: uid('eve', 'remote.test'), reason: 'rude' });
      const reports = (await api.queryReports({})).reports.slice(before);
      assert.deepEqual(
        reports.map(({ reportId: _id, receivedTs: _ts, ...r }) => r),
        [
          { kind: 'event', reporterId: uid('alice'), roomId, eventId, targetUserId: null, reason: 'r', score: -50 },
          { kind: 'room', reporterId: uid('dave'), roomId, eventId: null, targetUserId: null, reason: '', score: null },
          { kind: 'user', reporterId: uid('dave'), roomId: null, eventId: null, targetUserId: uid('eve', 'remote.test'), reason: 'rude', score: null },
        ],
      );
      assert.equal(reports.every((r) => r.receivedTs >= 1_000), true);
    });
  });
});
