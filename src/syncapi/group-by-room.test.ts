import assert from 'node:assert/strict';
import { it } from 'node:test';
import { groupByRoom } from './group-by-room.js';

it('groups by roomId, keeping the order within each room and rooms in order of first appearance', () => {
  const items = [
    { roomId: '!b', n: 1 },
    { roomId: '!a', n: 2 },
    { roomId: '!b', n: 3 },
  ];
  const grouped = groupByRoom(items);
  assert.deepEqual([...grouped.entries()], [
    ['!b', [items[0], items[2]]],
    ['!a', [items[1]]],
  ]);
  assert.deepEqual(groupByRoom([]), new Map());
});
