import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSyncFilter } from './parse-filter.js';
import { allowedRooms, includeRoomInSync, roomAllowed, type SyncMembership, type SyncRoomCandidate } from './room-filter.js';

const roomFilter = (json: Record<string, unknown>) => parseSyncFilter({ room: json }).room;

describe('roomAllowed', () => {
  const cases: Array<[Record<string, unknown>, string, boolean]> = [
    [{}, '!a:hs', true],
    [{ rooms: ['!a:hs'] }, '!a:hs', true],
    [{ rooms: ['!a:hs'] }, '!b:hs', false],
    [{ rooms: [] }, '!a:hs', false],
    [{ not_rooms: ['!a:hs'] }, '!a:hs', false],
    [{ not_rooms: ['!a:hs'] }, '!b:hs', true],
    [{ rooms: ['!a:hs', '!b:hs'], not_rooms: ['!a:hs'] }, '!a:hs', false],
    [{ rooms: ['!a:hs', '!b:hs'], not_rooms: ['!a:hs'] }, '!b:hs', true],
  ];
  for (const [json, roomId, expected] of cases) {
    it(`${JSON.stringify(json)} ${roomId} → ${expected}`, () => {
      assert.equal(roomAllowed(roomId, roomFilter(json)), expected);
    });
  }

  it('filters a list of rooms in order', () => {
    assert.deepEqual(allowedRooms(['!c:hs', '!a:hs', '!b:hs', '!d:hs'], roomFilter({ rooms: ['!a:hs', '!b:hs', '!c:hs'], not_rooms: ['!b:hs'] })), ['!c:hs', '!a:hs']);
  });

  it('ignores the per-section rooms lists (those filter events, not rooms)', () => {
    assert.equal(roomAllowed('!a:hs', roomFilter({ timeline: { rooms: [] } })), true);
  });
});

describe('includeRoomInSync', () => {
  const room = (membership: SyncMembership, over: Partial<SyncRoomCandidate> = {}): SyncRoomCandidate => ({
    roomId: '!a:hs',
    membership,
    membershipChangedInWindow: false,
    leftBySelf: true,
    ...over,
  });
  const cases: Array<[name: string, candidate: SyncRoomCandidate, filter: Record<string, unknown>, expected: boolean]> = [
    ['joined room', room('join'), {}, true],
    ['invite', room('invite'), {}, true],
    ['knock', room('knock'), {}, true],
    ['joined room excluded by not_rooms', room('join'), { not_rooms: ['!a:hs'] }, false],
    ['invite outside rooms', room('invite'), { rooms: ['!b:hs'] }, false],
    ['old self-leave, no include_leave', room('leave'), {}, false],
    ['old self-leave, include_leave', room('leave'), { include_leave: true }, true],
    ['old self-leave, include_leave but not_rooms', room('leave'), { include_leave: true, not_rooms: ['!a:hs'] }, false],
    ['newly left in an incremental sync', room('leave', { membershipChangedInWindow: true }), {}, true],
    ['newly left but excluded by rooms', room('leave', { membershipChangedInWindow: true }), { rooms: [] }, false],
    ['old kick is always sent (Synapse)', room('leave', { leftBySelf: false }), {}, true],
    ['old ban is always sent (Synapse)', room('ban'), {}, true],
    ['newly banned', room('ban', { membershipChangedInWindow: true }), {}, true],
    ['ban with include_leave', room('ban'), { include_leave: true }, true],
  ];
  for (const [name, candidate, json, expected] of cases) {
    it(name, () => {
      assert.equal(includeRoomInSync(candidate, roomFilter(json)), expected);
    });
  }
});
