import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterAccountData, matchesAccountDataFilter, type FilterableAccountData } from './account-data-filter.js';
import { parseSyncFilter } from './parse-filter.js';

const global = (type: string): FilterableAccountData => ({ roomId: null, type });
const inRoom = (roomId: string, type: string): FilterableAccountData => ({ roomId, type });

describe('account data filter', () => {
  const cases: Array<[name: string, filter: Record<string, unknown>, entry: FilterableAccountData, expected: boolean]> = [
    ['global, no filter', {}, global('m.direct'), true],
    ['global, types', { account_data: { types: ['m.direct'] } }, global('m.direct'), true],
    ['global, other type', { account_data: { types: ['m.direct'] } }, global('m.push_rules'), false],
    ['global, not_types wildcard', { account_data: { not_types: ['m.*'] } }, global('m.direct'), false],
    ['global, senders lets none through', { account_data: { senders: ['@a:hs'] } }, global('m.direct'), false],
    ['global, not_senders excludes none', { account_data: { not_senders: ['@a:hs'] } }, global('m.direct'), true],
    ['global ignores the room filters', { room: { rooms: [], account_data: { types: [] } } }, global('m.direct'), true],
    ['room, no filter', {}, inRoom('!a:hs', 'm.tag'), true],
    ['room, room.not_rooms', { room: { not_rooms: ['!a:hs'] } }, inRoom('!a:hs', 'm.tag'), false],
    ['room, room.rooms', { room: { rooms: ['!b:hs'] } }, inRoom('!a:hs', 'm.tag'), false],
    ['room, room.account_data.types', { room: { account_data: { types: ['m.tag'] } } }, inRoom('!a:hs', 'm.tag'), true],
    ['room, room.account_data.not_types', { room: { account_data: { not_types: ['m.tag'] } } }, inRoom('!a:hs', 'm.tag'), false],
    ['room, room.account_data.not_rooms', { room: { account_data: { not_rooms: ['!a:hs'] } } }, inRoom('!a:hs', 'm.tag'), false],
    ['room, room.account_data.rooms', { room: { account_data: { rooms: ['!a:hs'] } } }, inRoom('!a:hs', 'm.tag'), true],
    ['room ignores the global filter', { account_data: { types: [] } }, inRoom('!a:hs', 'm.tag'), true],
  ];
  for (const [name, json, entry, expected] of cases) {
    it(name, () => {
      assert.equal(matchesAccountDataFilter(entry, parseSyncFilter(json)), expected);
    });
  }

  it('filters a mixed list in order and ignores limits', () => {
    const entries = [global('m.direct'), inRoom('!a:hs', 'm.tag'), global('m.push_rules'), inRoom('!b:hs', 'm.tag'), inRoom('!a:hs', 'x.y')];
    const kept = filterAccountData(
      entries,
      parseSyncFilter({ account_data: { not_types: ['m.push_rules'], limit: 1 }, room: { not_rooms: ['!b:hs'], account_data: { limit: 1 } } }),
    );
    assert.deepEqual(kept, [entries[0], entries[1], entries[4]]);
  });
});
