import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excludesEverything, filterEvents, matchesEventFilter, matchesTypePattern, type FilterableEvent } from './event-filter.js';
import { parseEventFilter, parseRoomEventFilter } from './parse-filter.js';

const msg = (over: Partial<FilterableEvent> = {}): FilterableEvent => ({
  type: 'm.room.message',
  sender: '@alice:hs',
  roomId: '!r1:hs',
  content: { body: 'hi' },
  ...over,
});

describe('matchesTypePattern', () => {
  const cases: Array<[type: string, pattern: string, expected: boolean]> = [
    ['m.room.message', 'm.room.message', true],
    ['m.room.message', 'm.room.messag', false],
    ['m.room.message', 'm.room.message2', false],
    ['m.room.message', 'm.room.*', true],
    ['m.room.member', 'm.*', true],
    ['m.room', 'm.room.*', false],
    ['m.room.', 'm.room.*', true],
    ['anything', '*', true],
    ['', '*', true],
    ['', '', true],
    ['a', '', false],
    ['m.room.member', '*.member', true],
    ['m.room.member', '*.membe', false],
    ['m.room.member', 'm.*.member', true],
    ['m.space.child.member', 'm.*.member', true],
    ['m.room.members', 'm.*.member', false],
    ['m.call.invite', 'm.*.*e', true],
    ['aaab', 'a*a*b', true],
    ['aab', 'a*a*ab', false],
    ['abcabd', '*abd', true],
    ['m.room.message', '**message', true],
    ['m.room.message', 'M.room.message', false],
    ['m.room.message', 'm.room.messag?', false],
    ['m.room.messag?', 'm.room.messag?', true],
  ];
  for (const [type, pattern, expected] of cases) {
    it(`${JSON.stringify(type)} ~ ${JSON.stringify(pattern)} → ${expected}`, () => {
      assert.equal(matchesTypePattern(type, pattern), expected);
    });
  }
});

describe('matchesEventFilter', () => {
  const cases: Array<[name: string, filter: Record<string, unknown>, event: FilterableEvent, expected: boolean]> = [
    ['empty filter passes everything', {}, msg(), true],
    ['types includes', { types: ['m.room.message'] }, msg(), true],
    ['types excludes others', { types: ['m.room.member'] }, msg(), false],
    ['types with wildcard', { types: ['m.room.*'] }, msg(), true],
    ['empty types passes nothing', { types: [] }, msg(), false],
    ['not_types excludes', { not_types: ['m.room.message'] }, msg(), false],
    ['not_types with wildcard', { not_types: ['m.*'] }, msg(), false],
    ['not_types wins over types', { types: ['m.room.message'], not_types: ['m.room.*'] }, msg(), false],
    ['not_types other type passes', { not_types: ['m.room.member'] }, msg(), true],
    ['senders includes', { senders: ['@alice:hs'] }, msg(), true],
    ['senders excludes others', { senders: ['@bob:hs'] }, msg(), false],
    ['empty senders passes nothing', { senders: [] }, msg(), false],
    ['not_senders excludes', { not_senders: ['@alice:hs'] }, msg(), false],
    ['not_senders wins over senders', { senders: ['@alice:hs'], not_senders: ['@alice:hs'] }, msg(), false],
    ['senders are not wildcards', { senders: ['@*'] }, msg(), false],
    ['no sender: not_senders excludes nothing', { not_senders: ['@alice:hs'] }, msg({ sender: undefined }), true],
    ['no sender: senders lets nothing through', { senders: ['@alice:hs'] }, msg({ sender: undefined }), false],
    ['rooms includes', { rooms: ['!r1:hs'] }, msg(), true],
    ['rooms excludes others', { rooms: ['!r2:hs'] }, msg(), false],
    ['empty rooms passes nothing', { rooms: [] }, msg(), false],
    ['not_rooms excludes', { not_rooms: ['!r1:hs'] }, msg(), false],
    ['not_rooms wins over rooms', { rooms: ['!r1:hs'], not_rooms: ['!r1:hs'] }, msg(), false],
    ['no room: rooms lets nothing through', { rooms: ['!r1:hs'] }, msg({ roomId: null }), false],
    ['no room: not_rooms excludes nothing', { not_rooms: ['!r1:hs'] }, msg({ roomId: null }), true],
    ['contains_url true, url present', { contains_url: true }, msg({ content: { url: 'mxc://hs/a' } }), true],
    ['contains_url true, no url', { contains_url: true }, msg(), false],
    ['contains_url true, non-string url', { contains_url: true }, msg({ content: { url: 5 } }), false],
    ['contains_url false, url present', { contains_url: false }, msg({ content: { url: 'mxc://hs/a' } }), false],
    ['contains_url false, no url', { contains_url: false }, msg(), true],
    ['contains_url true, no content', { contains_url: true }, msg({ content: undefined }), false],
    ['contains_url false, content not an object', { contains_url: false }, msg({ content: 'x' }), true],
    ['contains_url ignores inherited url', { contains_url: true }, msg({ content: Object.create({ url: 'mxc://hs/a' }) as object }), false],
    ['all conditions together pass', { types: ['m.room.*'], senders: ['@alice:hs'], rooms: ['!r1:hs'], contains_url: false }, msg(), true],
    ['limit does not matter per event', { limit: 1 }, msg(), true],
  ];
  for (const [name, json, event, expected] of cases) {
    it(name, () => {
      assert.equal(matchesEventFilter(event, parseRoomEventFilter(json)), expected);
    });
  }

  it('ignores rooms and contains_url for a plain EventFilter', () => {
    const f = parseEventFilter({ types: ['m.presence'] });
    assert.equal(matchesEventFilter({ type: 'm.presence', sender: '@a:hs', roomId: '!x:hs' }, f), true);
    assert.equal(matchesEventFilter({ type: 'm.typing' }, f), false);
  });
});

describe('filterEvents', () => {
  const events = [
    msg({ sender: '@a:hs', content: { n: 1 } }),
    msg({ sender: '@b:hs', content: { n: 2 } }),
    msg({ sender: '@a:hs', content: { n: 3 } }),
    msg({ sender: '@a:hs', content: { n: 4 } }),
    msg({ sender: '@a:hs', content: { n: 5 } }),
  ];
  const ns = (es: readonly FilterableEvent[]) => es.map((e) => (e.content as { n: number }).n);

  it('keeps matching events in order, all of them without a limit', () => {
    assert.deepEqual(ns(filterEvents(events, parseRoomEventFilter({ senders: ['@a:hs'] }))), [1, 3, 4, 5]);
  });
  it('keeps the first `limit` from the start by default', () => {
    assert.deepEqual(ns(filterEvents(events, parseRoomEventFilter({ senders: ['@a:hs'], limit: 2 }))), [1, 3]);
  });
  it('keeps the last `limit` from the end', () => {
    assert.deepEqual(ns(filterEvents(events, parseRoomEventFilter({ senders: ['@a:hs'], limit: 2 }), 'end')), [4, 5]);
  });
  it('returns everything when the limit is not reached', () => {
    assert.deepEqual(ns(filterEvents(events, parseRoomEventFilter({ limit: 5 }), 'end')), [1, 2, 3, 4, 5]);
    assert.deepEqual(ns(filterEvents([], parseRoomEventFilter({ limit: 5 }))), []);
  });
});

describe('excludesEverything', () => {
  const cases: Array<[Record<string, unknown>, boolean]> = [
    [{}, false],
    [{ types: [] }, true],
    [{ senders: [] }, true],
    [{ rooms: [] }, true],
    [{ not_types: ['*'] }, true],
    [{ not_types: ['m.*'] }, false],
    [{ types: ['m.room.message'], not_rooms: ['!a:hs'] }, false],
  ];
  for (const [json, expected] of cases) {
    it(`${JSON.stringify(json)} → ${expected}`, () => {
      assert.equal(excludesEverything(parseRoomEventFilter(json)), expected);
    });
  }
  it('a plain EventFilter has no rooms to empty', () => {
    assert.equal(excludesEverything(parseEventFilter({ rooms: [] })), false);
  });
});
