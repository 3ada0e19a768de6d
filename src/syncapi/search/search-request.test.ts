import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { DEFAULT_CONTEXT_LIMIT, DEFAULT_SEARCH_LIMIT, MAX_CONTEXT_LIMIT, MAX_SEARCH_LIMIT, parseRoomEventsCriteria } from './search-request.js';

const errcode = (code: string) => (e: unknown) => e instanceof MatrixError && e.errcode === code;

describe('parseRoomEventsCriteria', () => {
  it('defaults: every key, rank order, no context, no state, no groups, limit 10', () => {
    const c = parseRoomEventsCriteria({ search_term: 'Martians and men' });
    assert.deepEqual(c.tokens, ['martians', 'and', 'men']);
    assert.deepEqual(c.types, ['m.room.message', 'm.room.name', 'm.room.topic']);
    assert.deepEqual([c.order, c.context, c.includeState, c.groupBy, c.limit], ['rank', undefined, false, [], DEFAULT_SEARCH_LIMIT]);
    assert.equal(c.filter.rooms, undefined);
  });

  it('keys pick types, and the filter types narrow them (wildcards, not_types)', () => {
    assert.deepEqual(parseRoomEventsCriteria({ search_term: 'x', keys: ['content.topic', 'content.body', 'content.body'] }).types, ['m.room.topic', 'm.room.message']);
    assert.deepEqual(parseRoomEventsCriteria({ search_term: 'x', keys: [] }).types, []);
    assert.deepEqual(parseRoomEventsCriteria({ search_term: 'x', filter: { types: ['m.room.n*'] } }).types, ['m.room.name']);
    assert.deepEqual(parseRoomEventsCriteria({ search_term: 'x', filter: { not_types: ['m.room.message'] } }).types, ['m.room.name', 'm.room.topic']);
    assert.deepEqual(parseRoomEventsCriteria({ search_term: 'x', filter: { types: ['m.room.member'] } }).types, []);
  });

  it('the filter: limit (capped), senders, rooms; bad fields name their path', () => {
    const c = parseRoomEventsCriteria({ search_term: 'x', filter: { limit: 3, senders: ['@a:hs'], not_rooms: ['!r:hs'] } });
    assert.deepEqual([c.limit, c.filter.senders, c.filter.notRooms], [3, ['@a:hs'], ['!r:hs']]);
    assert.equal(parseRoomEventsCriteria({ search_term: 'x', filter: { limit: 5000 } }).limit, MAX_SEARCH_LIMIT);
    assert.throws(() => parseRoomEventsCriteria({ search_term: 'x', filter: { limit: 0 } }), errcode('M_INVALID_PARAM'));
    assert.throws(() => parseRoomEventsCriteria({ search_term: 'x', filter: { rooms: 'nope' } }), (e: unknown) => errcode('M_BAD_JSON')(e) && /search_categories\.room_events\.filter\.rooms/.test((e as Error).message));
    assert.throws(() => parseRoomEventsCriteria({ search_term: 'x', filter: [] }), errcode('M_BAD_JSON'));
  });

  it('event_context defaults to 5 each side, capped, negative refused', () => {
    assert.deepEqual(parseRoomEventsCriteria({ search_term: 'x', event_context: {} }).context, { before: DEFAULT_CONTEXT_LIMIT, after: DEFAULT_CONTEXT_LIMIT, includeProfile: false });
    assert.deepEqual(parseRoomEventsCriteria({ search_term: 'x', event_context: { before_limit: 0, after_limit: 9999, include_profile: true } }).context, {
      before: 0,
      after: MAX_CONTEXT_LIMIT,
      includeProfile: true,
    });
    assert.throws(() => parseRoomEventsCriteria({ search_term: 'x', event_context: { before_limit: -1 } }), errcode('M_INVALID_PARAM'));
  });

  it('order, state, groupings (each key once, keyless entries ignored)', () => {
    const c = parseRoomEventsCriteria({ search_term: 'x', order_by: 'recent', include_state: true, groupings: { group_by: [{ key: 'sender' }, {}, { key: 'room_id' }, { key: 'sender' }] } });
    assert.deepEqual([c.order, c.includeState, c.groupBy], ['recent', true, ['sender', 'room_id']]);
  });
});
