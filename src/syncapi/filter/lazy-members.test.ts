import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepLazyStateEvent, lazyLoadOptionsOf, selectLazyMembers, syncLazyLoadOptions, type LazyTimelineEvent } from './lazy-members.js';
import { parseRoomEventFilter, parseSyncFilter } from './parse-filter.js';

const message = (eventId: string, sender: string): LazyTimelineEvent => ({ eventId, type: 'm.room.message', sender, stateKey: undefined });
const member = (eventId: string, userId: string, sender = userId): LazyTimelineEvent => ({ eventId, type: 'm.room.member', sender, stateKey: userId });

/** Membership events in the state the `state` section is computed at. */
const STATE = new Map([
  ['@me:hs', '$m-me'],
  ['@a:hs', '$m-a'],
  ['@b:hs', '$m-b'],
  ['@c:hs', '$m-c'],
  ['@idle:hs', '$m-idle'],
]);

describe('lazy-loading options', () => {
  it('reads /sync options from the state filter only', () => {
    assert.deepEqual(syncLazyLoadOptions(parseSyncFilter({ room: { state: { lazy_load_members: true } } })), { enabled: true, includeRedundant: false });
    assert.deepEqual(syncLazyLoadOptions(parseSyncFilter({ room: { state: { lazy_load_members: true, include_redundant_members: true } } })), {
      enabled: true,
      includeRedundant: true,
    });
    assert.deepEqual(syncLazyLoadOptions(parseSyncFilter({ room: { timeline: { lazy_load_members: true } } })), { enabled: false, includeRedundant: false });
    assert.deepEqual(syncLazyLoadOptions(parseSyncFilter({})), { enabled: false, includeRedundant: false });
  });

  it('reads a RoomEventFilter; include_redundant_members alone means nothing', () => {
    assert.deepEqual(lazyLoadOptionsOf(parseRoomEventFilter({ lazy_load_members: true })), { enabled: true, includeRedundant: false });
    assert.deepEqual(lazyLoadOptionsOf(parseRoomEventFilter({ include_redundant_members: true })), { enabled: false, includeRedundant: false });
  });
});

describe('selectLazyMembers', () => {
  it('includes the senders of the timeline and the syncing user, in first-seen order', () => {
    const r = selectLazyMembers({
      timeline: [message('$1', '@b:hs'), message('$2', '@a:hs'), message('$3', '@b:hs')],
      memberEventIds: STATE,
      syncingUserId: '@me:hs',
      includeRedundant: false,
    });
    assert.deepEqual(r.userIds, ['@me:hs', '@b:hs', '@a:hs']);
    assert.deepEqual(r.eventIds, ['$m-me', '$m-b', '$m-a']);
    assert.deepEqual(r.sent, { '@me:hs': '$m-me', '@b:hs': '$m-b', '@a:hs': '$m-a' });
  });

  it('includes only the syncing user for an empty timeline, and nobody without one', () => {
    assert.deepEqual(selectLazyMembers({ timeline: [], memberEventIds: STATE, syncingUserId: '@me:hs', includeRedundant: false }).userIds, ['@me:hs']);
    const none = selectLazyMembers({ timeline: [], memberEventIds: STATE, includeRedundant: false });
    assert.deepEqual([none.userIds, none.eventIds, none.sent], [[], [], {}]);
  });

  it('skips senders without a membership in the state (their join is in the timeline)', () => {
    const r = selectLazyMembers({
      timeline: [member('$join-new', '@new:hs'), message('$1', '@new:hs'), message('$2', '@a:hs')],
      memberEventIds: STATE,
      includeRedundant: false,
    });
    assert.deepEqual(r.userIds, ['@a:hs']);
    assert.deepEqual(r.sent, { '@a:hs': '$m-a', '@new:hs': '$join-new' });
  });

  it('skips members the device already has, unless redundant members are asked for', () => {
    const req = {
      timeline: [message('$1', '@a:hs'), message('$2', '@b:hs')],
      memberEventIds: STATE,
      syncingUserId: '@me:hs',
      alreadySent: { '@me:hs': '$m-me', '@a:hs': '$m-a', '@c:hs': '$m-c' },
    };
    const lazy = selectLazyMembers({ ...req, includeRedundant: false });
    assert.deepEqual(lazy.userIds, ['@b:hs']);
    assert.deepEqual(lazy.sent, { '@me:hs': '$m-me', '@a:hs': '$m-a', '@c:hs': '$m-c', '@b:hs': '$m-b' });
    const redundant = selectLazyMembers({ ...req, includeRedundant: true });
    assert.deepEqual(redundant.userIds, ['@me:hs', '@a:hs', '@b:hs']);
    assert.deepEqual(redundant.sent, lazy.sent);
  });

  it('sends a member again when their membership changed since', () => {
    const r = selectLazyMembers({
      timeline: [message('$1', '@a:hs')],
      memberEventIds: STATE,
      alreadySent: { '@a:hs': '$old-a' },
      includeRedundant: false,
    });
    assert.deepEqual([r.userIds, r.eventIds, r.sent], [['@a:hs'], ['$m-a'], { '@a:hs': '$m-a' }]);
  });

  it('records the last membership event of the timeline as what the client knows', () => {
    const r = selectLazyMembers({
      timeline: [message('$1', '@a:hs'), member('$a-rename', '@a:hs'), member('$kick-c', '@c:hs', '@a:hs'), member('$a-rename2', '@a:hs')],
      memberEventIds: STATE,
      alreadySent: { '@c:hs': '$m-c' },
      includeRedundant: false,
    });
    // @a's state-section membership is the one before the timeline; @c sent nothing.
    assert.deepEqual(r.userIds, ['@a:hs']);
    assert.deepEqual(r.sent, { '@c:hs': '$kick-c', '@a:hs': '$a-rename2' });
    // Next time, @a's current membership is the rename the client saw in the timeline: not sent again.
    const next = selectLazyMembers({
      timeline: [message('$2', '@a:hs')],
      memberEventIds: new Map([['@a:hs', '$a-rename2']]),
      alreadySent: r.sent,
      includeRedundant: false,
    });
    assert.deepEqual(next.userIds, []);
  });

  it('does not modify the record it was given', () => {
    const alreadySent = { '@a:hs': '$m-a' };
    selectLazyMembers({ timeline: [message('$1', '@b:hs')], memberEventIds: STATE, alreadySent, includeRedundant: false });
    assert.deepEqual(alreadySent, { '@a:hs': '$m-a' });
  });
});

describe('keepLazyStateEvent', () => {
  const keep = new Set(['@a:hs']);
  const cases: Array<[string, string | undefined, boolean]> = [
    ['m.room.name', '', true],
    ['m.room.power_levels', '', true],
    ['m.room.member', '@a:hs', true],
    ['m.room.member', '@b:hs', false],
    ['m.room.member', undefined, false],
  ];
  for (const [type, stateKey, expected] of cases) {
    it(`${type} ${String(stateKey)} → ${expected}`, () => {
      assert.equal(keepLazyStateEvent({ type, stateKey }, keep), expected);
    });
  }
});
