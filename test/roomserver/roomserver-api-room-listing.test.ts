/**
 * The roomserver API's `queryRoomListing` (the admin room list), in-process and over inthttp on
 * SQLite and PostgreSQL: every room with state, its version, joined counts and directory flag (remote members
 * are counted apart in the storage suite, `roomserver-room-listing-storage.test.ts`).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeRoomserverApi, uid } from './roomserver-api-kit.js';

describeRoomserverApi('roomserver API: room listing', (api) => {
  it('lists rooms by ID with their version, joined and local joined counts and publication', async () => {
    assert.deepEqual(await api().queryRoomListing({}), { rooms: [] });
    const { roomId: hall } = await api().performCreateRoom({ userId: uid('alice'), preset: 'public_chat', roomVersion: '10' });
    await api().performJoin({ roomIdOrAlias: hall, userId: uid('bob') });
    await api().performSetRoomVisibility({ roomId: hall, userId: uid('alice'), visibility: 'public' });
    const { roomId: den } = await api().performCreateRoom({ userId: uid('carol') });
    await api().performMembership({ action: 'leave', roomId: den, sender: uid('carol'), target: uid('carol') });
    const expected = [
      { roomId: hall, roomVersion: '10', joinedMembers: 2, joinedLocalMembers: 2, published: true },
      { roomId: den, roomVersion: '11', joinedMembers: 0, joinedLocalMembers: 0, published: false },
    ].sort((a, b) => (a.roomId < b.roomId ? -1 : 1));
    assert.deepEqual(await api().queryRoomListing({}), { rooms: expected });
  });
});
