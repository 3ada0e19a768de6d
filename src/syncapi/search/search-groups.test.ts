import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchGroups } from './search-groups.js';
import type { SearchScope } from './search-token.js';

const results = [
  { eventId: '$1', roomId: '!b', sender: '@x' },
  { eventId: '$2', roomId: '!a', sender: '@x' },
  { eventId: '$3', roomId: '!b', sender: '@y' },
];

describe('searchGroups', () => {
  it('groups by each key in result order, numbered by first appearance, with scoped tokens', () => {
    const scopes: SearchScope[] = [];
    const groups = searchGroups(results, ['room_id', 'sender'], {}, (s) => {
      scopes.push(s);
      return `t${scopes.length}`;
    });
    assert.deepEqual(groups, {
      room_id: { '!b': { results: ['$1', '$3'], order: 1, next_batch: 't1' }, '!a': { results: ['$2'], order: 2, next_batch: 't2' } },
      sender: { '@x': { results: ['$1', '$2'], order: 1, next_batch: 't3' }, '@y': { results: ['$3'], order: 2, next_batch: 't4' } },
    });
    assert.deepEqual(scopes, [{ roomId: '!b' }, { roomId: '!a' }, { sender: '@x' }, { sender: '@y' }]);
  });

  it('no next_batch when the search is done; a group page keeps its own scope', () => {
    assert.deepEqual(searchGroups(results.slice(0, 1), ['room_id'], {}, () => undefined), { room_id: { '!b': { results: ['$1'], order: 1 } } });
    const scopes: SearchScope[] = [];
    searchGroups(results.slice(0, 1), ['sender'], { roomId: '!b' }, (s) => {
      scopes.push(s);
      return 't';
    });
    assert.deepEqual(scopes, [{ roomId: '!b', sender: '@x' }]);
    assert.deepEqual(searchGroups([], ['room_id', 'sender'], {}, () => 't'), { room_id: {}, sender: {} });
  });
});
