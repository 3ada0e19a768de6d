import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../errors/matrix-error.js';
import { publicRoomsPage } from './public-rooms-page.js';
import { testPublicRoomSummary } from './test-room-summary.js';

const rooms = [
  testPublicRoomSummary('!b:x', 1, { name: 'Cooking', joinRule: 'public' }),
  testPublicRoomSummary('!a:x', 1, { topic: 'all about COOKS' }),
  testPublicRoomSummary('!c:x', 3, { canonicalAlias: '#garden:x', roomType: 'm.space', worldReadable: true }),
  testPublicRoomSummary('!d:x', 2),
];
const ids = (r: { chunk: readonly { room_id: string }[] }) => r.chunk.map((c) => c.room_id);

describe('publicRoomsPage', () => {
  it('orders by joined members, then room ID, and renders only present fields', () => {
    const r = publicRoomsPage(rooms, {});
    assert.deepEqual(ids(r), ['!c:x', '!d:x', '!a:x', '!b:x']);
    assert.deepEqual(r.chunk[0], { room_id: '!c:x', num_joined_members: 3, world_readable: true, guest_can_join: false, canonical_alias: '#garden:x', room_type: 'm.space' });
    assert.deepEqual(r.chunk[3], { room_id: '!b:x', num_joined_members: 1, world_readable: false, guest_can_join: false, name: 'Cooking', join_rule: 'public' });
    assert.equal(r.total_room_count_estimate, 4);
    assert.equal(r.next_batch, undefined);
    assert.equal(r.prev_batch, undefined);
  });

  it('pages forwards and backwards with the tokens it hands out', () => {
    const p1 = publicRoomsPage(rooms, { limit: 3 });
    assert.deepEqual(ids(p1), ['!c:x', '!d:x', '!a:x']);
    assert.equal(p1.prev_batch, undefined);
    const p2 = publicRoomsPage(rooms, { limit: 3, since: p1.next_batch });
    assert.deepEqual(ids(p2), ['!b:x']);
    assert.equal(p2.next_batch, undefined);
    assert.deepEqual(ids(publicRoomsPage(rooms, { limit: 3, since: p2.prev_batch })), ['!c:x', '!d:x', '!a:x']);
  });

  it('searches name, topic and alias case-insensitively, and filters by room type (null = untyped)', () => {
    assert.deepEqual(ids(publicRoomsPage(rooms, { genericSearchTerm: 'cook' })), ['!a:x', '!b:x']);
    assert.deepEqual(ids(publicRoomsPage(rooms, { genericSearchTerm: 'GARDEN' })), ['!c:x']);
    assert.equal(publicRoomsPage(rooms, { genericSearchTerm: 'cook' }).total_room_count_estimate, 2);
    assert.deepEqual(ids(publicRoomsPage(rooms, { roomTypes: ['m.space'] })), ['!c:x']);
    assert.deepEqual(ids(publicRoomsPage(rooms, { roomTypes: [null] })), ['!d:x', '!a:x', '!b:x']);
  });

  it('refuses a token it did not make', () => {
    assert.throws(() => publicRoomsPage(rooms, { since: 'garbage' }), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_INVALID_PARAM');
  });
});
