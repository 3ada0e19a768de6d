import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testRoomSummary } from '../../internal/roomsummary/test-room-summary.js';
import type { RoomSummary } from '../../roomserver/api.js';
import { mayViewRoom } from './room-summary-access.js';

const room = (over: Partial<RoomSummary>): RoomSummary => testRoomSummary('!r:example.org', over);

describe('mayViewRoom', () => {
  const noRooms = async () => new Set<string>();
  const inSpace = async () => new Set(['!space:example.org']);

  it('follows the spec list', async () => {
    const cases: [Partial<RoomSummary>, boolean][] = [
      [{}, false],
      [{ joinRule: null }, false],
      [{ membership: 'join' }, true],
      [{ membership: 'invite' }, true],
      [{ membership: 'leave' }, false],
      [{ membership: 'knock' }, false],
      [{ membership: 'ban', joinRule: 'public' }, true],
      [{ joinRule: 'public' }, true],
      [{ worldReadable: true }, true],
      [{ joinRule: 'knock', roomVersion: '7' }, true],
      [{ joinRule: 'knock', roomVersion: '6' }, false],
      [{ joinRule: 'knock_restricted', roomVersion: '10' }, true],
      [{ joinRule: 'knock_restricted', roomVersion: '9' }, false],
      [{ joinRule: 'knock', roomVersion: 'unknown-version' }, false],
      [{ joinRule: 'private' }, false],
    ];
    for (const [over, expected] of cases) assert.equal(await mayViewRoom(room(over), noRooms), expected, JSON.stringify(over));
  });

  it('shows a restricted room to members of an allowed room, in versions with restricted joins', async () => {
    const restricted = room({ joinRule: 'restricted', roomVersion: '8', allowedRoomIds: ['!other:example.org', '!space:example.org'] });
    assert.equal(await mayViewRoom(restricted, inSpace), true);
    assert.equal(await mayViewRoom(restricted, noRooms), false);
    assert.equal(await mayViewRoom({ ...restricted, roomVersion: '7' }, inSpace), false);
    assert.equal(await mayViewRoom({ ...restricted, allowedRoomIds: [] }, inSpace), false);
  });

  it('asks for joined rooms only when a restricted room needs them', async () => {
    let calls = 0;
    const counted = async () => {
      calls++;
      return new Set<string>();
    };
    await mayViewRoom(room({ joinRule: 'public' }), counted);
    await mayViewRoom(room({ joinRule: 'restricted', roomVersion: '8', allowedRoomIds: ['!x'], membership: 'join' }), counted);
    assert.equal(calls, 0);
    await mayViewRoom(room({ joinRule: 'restricted', roomVersion: '8', allowedRoomIds: ['!x'] }), counted);
    assert.equal(calls, 1);
  });
});
