import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SyncEvent } from './output-room-events-table.js';
import { createRecentEventsWindow } from './recent-events-window.js';

function ev(position: number, roomId: string, over: Partial<SyncEvent> = {}): SyncEvent {
  return {
    position,
    roomId,
    eventId: `$e${position}`,
    type: 'm.room.message',
    sender: '@a:hs',
    stateKey: null,
    membership: null,
    depth: position,
    json: `{"n":${position}}`,
    addsState: [],
    removesState: [],
    txnDeviceId: null,
    txnId: null,
    ...over,
  };
}
const ids = (list: readonly SyncEvent[]) => list.map((e) => e.position);

it('covers only ranges starting at or above the stream end it was made at', () => {
  const w = createRecentEventsWindow(10, 100);
  assert.equal(w.latest, 10);
  assert.equal(w.covers(10), true);
  assert.equal(w.covers(9), false);
  assert.deepEqual(w.activeRooms(10, 10), []);
});

it('answers rooms, member events and latest events of a range', () => {
  const w = createRecentEventsWindow(0, 100);
  w.append(ev(1, '!a'));
  w.append(ev(2, '!b', { type: 'm.room.member', stateKey: '@bob:hs', membership: 'join' }));
  w.append(ev(4, '!a'));
  w.append(ev(5, '!a', { type: 'm.room.member', stateKey: '@bob:hs', membership: 'leave' }));
  w.append(ev(7, '!c'));
  assert.equal(w.latest, 7);
  assert.deepEqual(w.activeRooms(0, 7).sort(), ['!a', '!b', '!c']);
  assert.deepEqual(w.activeRooms(2, 5), ['!a']);
  assert.deepEqual(w.activeRooms(5, 6), []);
  assert.deepEqual(w.membershipEvents('@bob:hs', 0, 7), [
    { roomId: '!b', eventId: '$e2', position: 2, membership: 'join' },
    { roomId: '!a', eventId: '$e5', position: 5, membership: 'leave' },
  ]);
  assert.deepEqual(w.membershipEvents('@bob:hs', 2, 4), []);
  assert.deepEqual(ids(w.recent({ roomId: '!a', after: 0, upTo: 7 }, 10)), [1, 4, 5]);
  assert.deepEqual(ids(w.recent({ roomId: '!a', after: 0, upTo: 7 }, 2)), [4, 5]);
  assert.deepEqual(ids(w.recent({ roomId: '!a', after: 1, upTo: 4 }, 10)), [4]);
  assert.deepEqual(ids(w.recent({ roomId: '!a', after: 5, upTo: 7 }, 10)), []);
  assert.deepEqual(ids(w.recent({ roomId: '!z', after: 0, upTo: 7 }, 10)), []);
});

it('drops the oldest events past its capacity and raises its floor to them', () => {
  const w = createRecentEventsWindow(0, 3);
  for (let p = 1; p <= 2000; p++) w.append(ev(p, p % 2 === 0 ? '!even' : '!odd'));
  assert.equal(w.covers(1997), true);
  assert.equal(w.covers(1996), false);
  assert.deepEqual(ids(w.recent({ roomId: '!even', after: 1997, upTo: 2000 }, 10)), [1998, 2000]);
  assert.deepEqual(ids(w.recent({ roomId: '!odd', after: 1997, upTo: 2000 }, 10)), [1999]);
  assert.deepEqual(w.activeRooms(1997, 2000).sort(), ['!even', '!odd']);
});

it('refuses an event not after its end', () => {
  const w = createRecentEventsWindow(5, 10);
  assert.throws(() => w.append(ev(5, '!a')), /position 5 is not after 5/);
});

it('serves a redacted event in its redacted form', () => {
  const w = createRecentEventsWindow(0, 10);
  w.append(ev(1, '!a'));
  w.append(ev(2, '!a'));
  w.redact('$e1', '{"redacted":true}');
  w.redact('$unknown', '{}');
  assert.deepEqual(
    w.recent({ roomId: '!a', after: 0, upTo: 2 }, 10).map((e) => e.json),
    ['{"redacted":true}', '{"n":2}'],
  );
});

it("lists a range's state changes, and only those, oldest first", () => {
  const w = createRecentEventsWindow(0, 100);
  w.append(ev(1, '!a', { type: 'm.room.name', stateKey: '', addsState: ['$e1'] }));
  w.append(ev(2, '!a'));
  w.append(ev(3, '!b', { type: 'm.room.topic', stateKey: '', addsState: ['$e3'] }));
  w.append(ev(4, '!a', { type: 'm.room.member', stateKey: '@b:hs', membership: 'leave', removesState: ['$x'] }));
  w.append(ev(5, '!a', { type: 'm.room.name', stateKey: '', addsState: ['$e5'] }));
  assert.deepEqual(ids(w.stateChanges({ roomId: '!a', after: 0, upTo: 4 })), [1, 4]);
  assert.deepEqual(ids(w.stateChanges({ roomId: '!a', after: 1, upTo: 5 })), [4, 5]);
  assert.deepEqual(ids(w.stateChanges({ roomId: '!b', after: 3, upTo: 5 })), []);
  assert.deepEqual(ids(w.stateChanges({ roomId: '!c', after: 0, upTo: 5 })), []);
});
