import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { RoomEventFilter, SyncFilter } from './filter-types.js';
import { parseEventFilter, parseRoomEventFilter, parseSyncFilter } from './parse-filter.js';

/** A RoomEventFilter with nothing set. */
const OPEN: RoomEventFilter = {
  limit: undefined,
  types: undefined,
  notTypes: [],
  senders: undefined,
  notSenders: [],
  rooms: undefined,
  notRooms: [],
  containsUrl: undefined,
  lazyLoadMembers: false,
  includeRedundantMembers: false,
  unreadThreadNotifications: false,
};
const OPEN_EVENTS = { limit: undefined, types: undefined, notTypes: [], senders: undefined, notSenders: [] };

/** The spec's example filter (`POST /user/{userId}/filter`). */
const SPEC_EXAMPLE = {
  room: {
    state: { types: ['m.room.*'], not_rooms: ['!726s6s6q:example.com'] },
    timeline: { limit: 10, types: ['m.room.message'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
    ephemeral: { types: ['m.receipt', 'm.typing'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
  },
  presence: { types: ['m.presence'], not_senders: ['@alice:example.com'] },
  event_format: 'client',
  event_fields: ['type', 'content', 'sender'],
};

function rejects(value: unknown, errcode: string, message: string): void {
  assert.throws(
    () => parseSyncFilter(value),
    (e: unknown) => {
      assert.ok(e instanceof MatrixError, String(e));
      assert.deepEqual([e.status, e.errcode, e.message], [400, errcode, message]);
      return true;
    },
    JSON.stringify(value),
  );
}

describe('parseSyncFilter', () => {
  it('reads the empty filter as "everything", with the default timeline limit', () => {
    const expected: SyncFilter = {
      room: { timeline: { ...OPEN, limit: 10 }, state: OPEN, ephemeral: OPEN, accountData: OPEN, rooms: undefined, notRooms: [], includeLeave: false },
      presence: OPEN_EVENTS,
      accountData: OPEN_EVENTS,
      eventFields: undefined,
      eventFormat: 'client',
    };
    assert.deepEqual(parseSyncFilter({}), expected);
    assert.deepEqual(parseSyncFilter(undefined), expected);
  });

  it('normalises the spec example', () => {
    const f = parseSyncFilter(SPEC_EXAMPLE);
    assert.deepEqual(f, {
      room: {
        timeline: { ...OPEN, limit: 10, types: ['m.room.message'], notRooms: ['!726s6s6q:example.com'], notSenders: ['@spam:example.com'] },
        state: { ...OPEN, types: ['m.room.*'], notRooms: ['!726s6s6q:example.com'] },
        ephemeral: { ...OPEN, types: ['m.receipt', 'm.typing'], notRooms: ['!726s6s6q:example.com'], notSenders: ['@spam:example.com'] },
        accountData: OPEN,
        rooms: undefined,
        notRooms: [],
        includeLeave: false,
      },
      presence: { ...OPEN_EVENTS, types: ['m.presence'], notSenders: ['@alice:example.com'] },
      accountData: OPEN_EVENTS,
      eventFields: ['type', 'content', 'sender'],
      eventFormat: 'client',
    });
  });

  it('reads every field of every section', () => {
    const f = parseSyncFilter({
      room: {
        rooms: ['!a:hs', '!b:hs'],
        not_rooms: ['!b:hs'],
        include_leave: true,
        account_data: { types: ['m.tag'], limit: 3 },
        state: { lazy_load_members: true, include_redundant_members: true, senders: ['@x:hs'], not_types: ['m.room.member'] },
        timeline: { contains_url: false, unread_thread_notifications: true, rooms: [], limit: 50 },
      },
      account_data: { not_types: ['m.direct'], limit: 2 },
      event_format: 'federation',
      event_fields: [],
    });
    assert.deepEqual(f.room.rooms, ['!a:hs', '!b:hs']);
    assert.deepEqual(f.room.notRooms, ['!b:hs']);
    assert.equal(f.room.includeLeave, true);
    assert.deepEqual(f.room.accountData, { ...OPEN, types: ['m.tag'], limit: 3 });
    assert.deepEqual(f.room.state, { ...OPEN, lazyLoadMembers: true, includeRedundantMembers: true, senders: ['@x:hs'], notTypes: ['m.room.member'] });
    assert.deepEqual(f.room.timeline, { ...OPEN, containsUrl: false, unreadThreadNotifications: true, rooms: [], limit: 50 });
    assert.deepEqual(f.accountData, { ...OPEN_EVENTS, notTypes: ['m.direct'], limit: 2 });
    assert.equal(f.eventFormat, 'federation');
    assert.deepEqual(f.eventFields, []);
  });

  it('caps the timeline limit and applies the configured default', () => {
    assert.equal(parseSyncFilter({ room: { timeline: { limit: 5000 } } }).room.timeline.limit, 100);
    assert.equal(parseSyncFilter({ room: { timeline: { limit: 100 } } }).room.timeline.limit, 100);
    assert.equal(parseSyncFilter({ room: { timeline: { limit: 1 } } }).room.timeline.limit, 1);
    assert.equal(parseSyncFilter({}, { defaultTimelineLimit: 20 }).room.timeline.limit, 20);
    assert.equal(parseSyncFilter({ room: { timeline: { limit: 300 } } }, { maxTimelineLimit: 250 }).room.timeline.limit, 250);
    assert.equal(parseSyncFilter({}, { defaultTimelineLimit: 20, maxTimelineLimit: 5 }).room.timeline.limit, 5);
    // Only the timeline is capped: other limits are kept as given.
    assert.equal(parseSyncFilter({ room: { state: { limit: 5000 } } }).room.state.limit, 5000);
  });

  it('ignores keys the schema does not know', () => {
    const f = parseSyncFilter({ 'org.example.x': 1, room: { 'org.example.y': 'z', timeline: { 'org.matrix.labels': ['a'] } } });
    assert.deepEqual(f, parseSyncFilter({}));
  });

  it('copies the lists it keeps, so later changes to the input do not leak in', () => {
    const input = { room: { timeline: { types: ['a'] } } };
    const f = parseSyncFilter(input);
    input.room.timeline.types.push('b');
    assert.deepEqual(f.room.timeline.types, ['a']);
  });

  it('refuses values of the wrong JSON type with M_BAD_JSON naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'The filter must be a JSON object'],
      ['x', 'The filter must be a JSON object'],
      [null, 'The filter must be a JSON object'],
      [{ room: [] }, 'room must be an object'],
      [{ room: null }, 'room must be an object'],
      [{ presence: 'all' }, 'presence must be an object'],
      [{ account_data: 1 }, 'account_data must be an object'],
      [{ room: { timeline: true } }, 'room.timeline must be an object'],
      [{ room: { state: [] } }, 'room.state must be an object'],
      [{ room: { ephemeral: 'x' } }, 'room.ephemeral must be an object'],
      [{ room: { account_data: 2 } }, 'room.account_data must be an object'],
      [{ room: { timeline: { limit: '10' } } }, 'room.timeline.limit must be an integer'],
      [{ room: { timeline: { limit: 1.5 } } }, 'room.timeline.limit must be an integer'],
      [{ room: { timeline: { limit: null } } }, 'room.timeline.limit must be an integer'],
      [{ presence: { limit: true } }, 'presence.limit must be an integer'],
      [{ room: { timeline: { types: 'm.room.message' } } }, 'room.timeline.types must be an array of strings'],
      [{ room: { timeline: { types: ['m.room.message', 3] } } }, 'room.timeline.types[1] must be a string'],
      [{ room: { state: { not_types: [null] } } }, 'room.state.not_types[0] must be a string'],
      [{ presence: { senders: '@a:hs' } }, 'presence.senders must be an array of strings'],
      [{ account_data: { not_senders: [1] } }, 'account_data.not_senders[0] must be a string'],
      [{ room: { rooms: '!a:hs' } }, 'room.rooms must be an array of strings'],
      [{ room: { not_rooms: [{}] } }, 'room.not_rooms[0] must be a string'],
      [{ room: { timeline: { rooms: [1] } } }, 'room.timeline.rooms[0] must be a string'],
      [{ room: { include_leave: 'true' } }, 'room.include_leave must be a boolean'],
      [{ room: { timeline: { contains_url: 1 } } }, 'room.timeline.contains_url must be a boolean'],
      [{ room: { state: { lazy_load_members: 'yes' } } }, 'room.state.lazy_load_members must be a boolean'],
      [{ room: { state: { include_redundant_members: 0 } } }, 'room.state.include_redundant_members must be a boolean'],
      [{ room: { timeline: { unread_thread_notifications: null } } }, 'room.timeline.unread_thread_notifications must be a boolean'],
      [{ event_format: 1 }, 'event_format must be a string'],
      [{ event_fields: 'content' }, 'event_fields must be an array of strings'],
      [{ event_fields: ['content', 1] }, 'event_fields[1] must be a string'],
    ];
    for (const [value, message] of cases) rejects(value, 'M_BAD_JSON', message);
  });

  it('refuses values the schema forbids with M_INVALID_PARAM naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{ room: { timeline: { limit: 0 } } }, 'room.timeline.limit must be greater than 0'],
      [{ room: { timeline: { limit: -5 } } }, 'room.timeline.limit must be greater than 0'],
      [{ account_data: { limit: 0 } }, 'account_data.limit must be greater than 0'],
      [{ event_format: 'raw' }, 'event_format must be one of client, federation'],
      [{ event_format: 'Client' }, 'event_format must be one of client, federation'],
      [{ room: { rooms: ['#alias:hs'] } }, 'room.rooms[0] must be a room ID (starting with !)'],
      [{ room: { not_rooms: ['!ok:hs', 'nope'] } }, 'room.not_rooms[1] must be a room ID (starting with !)'],
      [{ room: { ephemeral: { rooms: ['*'] } } }, 'room.ephemeral.rooms[0] must be a room ID (starting with !)'],
      [{ presence: { senders: ['alice'] } }, 'presence.senders[0] must be a user ID (starting with @)'],
      [{ room: { timeline: { not_senders: ['@a:hs', '!r:hs'] } } }, 'room.timeline.not_senders[1] must be a user ID (starting with @)'],
    ];
    for (const [value, message] of cases) rejects(value, 'M_INVALID_PARAM', message);
  });
});

describe('parseRoomEventFilter', () => {
  it('reads a /messages filter', () => {
    assert.deepEqual(parseRoomEventFilter({ lazy_load_members: true, types: ['m.room.message'], limit: 4, contains_url: true }), {
      ...OPEN,
      lazyLoadMembers: true,
      types: ['m.room.message'],
      limit: 4,
      containsUrl: true,
    });
    assert.deepEqual(parseRoomEventFilter({}), OPEN);
  });

  it('names fields without a prefix by default, or under the given path', () => {
    assert.throws(() => parseRoomEventFilter({ senders: [1] }), { errcode: 'M_BAD_JSON', message: 'senders[0] must be a string' });
    assert.throws(() => parseRoomEventFilter({ limit: 0 }, 'filter'), { errcode: 'M_INVALID_PARAM', message: 'filter.limit must be greater than 0' });
    assert.throws(() => parseRoomEventFilter([]), { errcode: 'M_BAD_JSON', message: 'The filter must be a JSON object' });
  });
});

describe('parseEventFilter', () => {
  it('reads the EventFilter fields and nothing of RoomEventFilter', () => {
    const f = parseEventFilter({ types: ['m.presence'], senders: ['@a:hs'], rooms: 'ignored', lazy_load_members: 'ignored' });
    assert.deepEqual(f, { ...OPEN_EVENTS, types: ['m.presence'], senders: ['@a:hs'] });
  });
});
