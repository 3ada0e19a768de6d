import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRoomEventFilter, parseSyncFilter } from './parse-filter.js';
import { resolveRoomEventFilter, resolveSyncFilter, type StoredFilterLookup } from './resolve-filter.js';

const STORED: Record<string, Record<string, unknown>> = {
  '7': { room: { timeline: { limit: 3 } } },
  bad: { room: { timeline: { limit: 0 } } },
};

function lookup(): { fn: StoredFilterLookup; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fn: async (id) => {
      asked.push(id);
      return STORED[id] ?? null;
    },
  };
}

describe('resolveSyncFilter', () => {
  it('gives the default filter for an absent or empty parameter, without a lookup', async () => {
    const l = lookup();
    assert.deepEqual(await resolveSyncFilter(undefined, l.fn), parseSyncFilter({}));
    assert.deepEqual(await resolveSyncFilter('', l.fn), parseSyncFilter({}));
    assert.deepEqual(l.asked, []);
  });

  it('parses inline JSON, without a lookup', async () => {
    const l = lookup();
    const f = await resolveSyncFilter('{"room":{"timeline":{"limit":2}},"event_format":"federation"}', l.fn);
    assert.equal(f.room.timeline.limit, 2);
    assert.equal(f.eventFormat, 'federation');
    assert.deepEqual(l.asked, []);
  });

  it('looks a filter ID up', async () => {
    const l = lookup();
    const f = await resolveSyncFilter('7', l.fn);
    assert.equal(f.room.timeline.limit, 3);
    assert.deepEqual(l.asked, ['7']);
  });

  it('applies the limits it is given to inline and stored filters', async () => {
    const l = lookup();
    assert.equal((await resolveSyncFilter('{}', l.fn, { defaultTimelineLimit: 30 })).room.timeline.limit, 30);
    assert.equal((await resolveSyncFilter('7', l.fn, { maxTimelineLimit: 2 })).room.timeline.limit, 2);
    assert.equal((await resolveSyncFilter(undefined, l.fn, { defaultTimelineLimit: 30 })).room.timeline.limit, 30);
  });

  it('refuses an unknown ID, bad JSON and bad filters', async () => {
    const l = lookup();
    await assert.rejects(resolveSyncFilter('8', l.fn), { status: 400, errcode: 'M_INVALID_PARAM', message: 'No such filter: 8' });
    await assert.rejects(resolveSyncFilter('{"room":', l.fn), { status: 400, errcode: 'M_NOT_JSON' });
    await assert.rejects(resolveSyncFilter('{"room":[]}', l.fn), { status: 400, errcode: 'M_BAD_JSON', message: 'room must be an object' });
    await assert.rejects(resolveSyncFilter('bad', l.fn), { status: 400, errcode: 'M_INVALID_PARAM', message: 'room.timeline.limit must be greater than 0' });
  });
});

describe('resolveRoomEventFilter', () => {
  it('gives the open filter when absent or empty and parses inline JSON', () => {
    assert.deepEqual(resolveRoomEventFilter(undefined), parseRoomEventFilter({}));
    assert.deepEqual(resolveRoomEventFilter(''), parseRoomEventFilter({}));
    assert.deepEqual(resolveRoomEventFilter('{"lazy_load_members":true,"types":["m.room.message"]}'), parseRoomEventFilter({ lazy_load_members: true, types: ['m.room.message'] }));
  });

  it('refuses what is not JSON or not a RoomEventFilter', () => {
    assert.throws(() => resolveRoomEventFilter('7'), { errcode: 'M_BAD_JSON', message: 'The filter must be a JSON object' });
    assert.throws(() => resolveRoomEventFilter('{nope'), { errcode: 'M_NOT_JSON' });
    assert.throws(() => resolveRoomEventFilter('{"not_senders":["x"]}'), { errcode: 'M_INVALID_PARAM', message: 'not_senders[0] must be a user ID (starting with @)' });
  });
});
