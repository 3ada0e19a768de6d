import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import type { QueryStateRequest, QueryStateResponse } from '../../roomserver/api.js';
import { createPushRoomCache, notificationLevels, type NewRoomEvent } from './push-room-cache.js';

const ROOM = '!r:hs';
const member = (userId: string, membership: string, displayname?: string): JsonObject => ({
  type: 'm.room.member',
  state_key: userId,
  sender: userId,
  room_id: ROOM,
  content: { membership, ...(displayname ? { displayname } : {}) },
});

function msg(eventId: string, event: JsonObject, streamPosition: number, adds: string[] = typeof event.state_key === 'string' ? [eventId] : [], removes: string[] = []): NewRoomEvent {
  return { type: 'new_room_event', roomId: ROOM, roomVersion: '11', eventId, event, addsStateEventIds: adds, removesStateEventIds: removes, latestEventIds: [eventId], streamPosition, transaction: null };
}

describe('push room cache', () => {
  it('reads a room once, follows its own deltas, and reads again after anything else', async () => {
    const queries: QueryStateRequest[] = [];
    let state: JsonObject[] = [member('@a:hs', 'join', 'Alice'), { type: 'm.room.name', state_key: '', sender: '@a:hs', content: { name: 'Chat' } }];
    const cache = createPushRoomCache({
      queryState: async (req): Promise<QueryStateResponse> => {
        queries.push(req);
        return { found: true, events: state.map((event, i) => ({ eventId: `$s${i}`, roomId: ROOM, roomVersion: '11', event, rejected: false, outlier: false })) };
      },
    });
    const first = await cache.stateAfter(msg('$m1', { type: 'm.room.message', sender: '@a:hs', content: {} }, 5));
    assert.deepEqual([...first.joined], [['@a:hs', 'Alice']]);
    assert.equal(first.name, 'Chat');
    assert.equal(queries.length, 1);
    assert.equal(queries[0]?.atEventId, '$m1');

    const joined = await cache.stateAfter(msg('$j', member('@b:hs', 'join', 'Bob'), 6));
    assert.deepEqual([...joined.joined], [['@a:hs', 'Alice'], ['@b:hs', 'Bob']]);
    const left = await cache.stateAfter(msg('$l', member('@a:hs', 'leave'), 7, ['$l'], ['$s0']));
    assert.deepEqual([...left.joined], [['@b:hs', 'Bob']]);
    assert.equal(queries.length, 1);

    // A delta from state resolution: read again.
    state = [member('@c:hs', 'join')];
    const resolved = await cache.stateAfter(msg('$x', { type: 'm.room.message', sender: '@c:hs', content: {} }, 8, ['$s0'], []));
    assert.deepEqual([...resolved.joined], [['@c:hs', null]]);
    assert.equal(queries.length, 2);
    // An older event (redelivery) is read again but does not replace the newer state.
    await cache.stateAfter(msg('$old', { type: 'm.room.message', sender: '@a:hs', content: {} }, 3));
    assert.equal(queries.length, 3);
    const next = await cache.stateAfter(msg('$m9', { type: 'm.room.message', sender: '@c:hs', content: {} }, 9));
    assert.deepEqual([...next.joined], [['@c:hs', null]]);
    assert.equal(queries.length, 3);
  });

  it('gives the room creator 100 without power levels, and reads the notifications levels', async () => {
    const create: JsonObject = { type: 'm.room.create', state_key: '', sender: '@a:hs', room_id: ROOM, content: { room_version: '11' }, origin_server_ts: 1, depth: 1, prev_events: [], auth_events: [], hashes: { sha256: 'x' }, signatures: {} };
    const cache = createPushRoomCache({
      queryState: async () => ({ found: true, events: [{ eventId: '$c', roomId: ROOM, roomVersion: '11', event: create, rejected: false, outlier: false }] }),
    });
    const s = await cache.stateAfter(msg('$m', { type: 'm.room.message', sender: '@a:hs', content: {} }, 2));
    assert.deepEqual(notificationLevels(s, '@a:hs'), { senderPowerLevel: 100, notificationPowerLevels: { room: 50 } });
    assert.deepEqual(notificationLevels(s, '@b:hs'), { senderPowerLevel: 0, notificationPowerLevels: { room: 50 } });
  });
});
