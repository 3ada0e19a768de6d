import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventFilter } from './parse-filter.js';
import { filterPresence, matchesPresenceFilter } from './presence-filter.js';

describe('presence filter', () => {
  const cases: Array<[Record<string, unknown>, string, boolean]> = [
    [{}, '@a:hs', true],
    [{ types: ['m.presence'] }, '@a:hs', true],
    [{ types: ['m.*'] }, '@a:hs', true],
    [{ types: ['m.typing'] }, '@a:hs', false],
    [{ types: [] }, '@a:hs', false],
    [{ not_types: ['m.presence'] }, '@a:hs', false],
    [{ not_types: ['*'] }, '@a:hs', false],
    [{ senders: ['@a:hs'] }, '@a:hs', true],
    [{ senders: ['@a:hs'] }, '@b:hs', false],
    // The spec example: someone filtering out their own presence.
    [{ types: ['m.presence'], not_senders: ['@alice:example.com'] }, '@alice:example.com', false],
    [{ types: ['m.presence'], not_senders: ['@alice:example.com'] }, '@bob:example.com', true],
  ];
  for (const [json, userId, expected] of cases) {
    it(`${JSON.stringify(json)} ${userId} → ${expected}`, () => {
      assert.equal(matchesPresenceFilter(userId, parseEventFilter(json)), expected);
    });
  }

  it('filters a list of updates in order and ignores the limit', () => {
    const updates = [{ userId: '@a:hs', n: 1 }, { userId: '@b:hs', n: 2 }, { userId: '@c:hs', n: 3 }, { userId: '@a:hs', n: 4 }];
    assert.deepEqual(filterPresence(updates, parseEventFilter({ not_senders: ['@b:hs'], limit: 1 })).map((u) => u.n), [1, 3, 4]);
  });
});
