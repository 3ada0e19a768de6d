import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  historyVisibilityOf,
  isVisibleToServer,
  isVisibleToUser,
  membershipOf,
  membershipsFor,
  visibilitiesFor,
  type HistoryVisibility,
} from './history-visibility.js';

const ALICE = '@alice:a.test';

void test('historyVisibilityOf: the four settings; shared when absent or not understood', () => {
  const cases: [unknown, HistoryVisibility][] = [
    [{ history_visibility: 'world_readable' }, 'world_readable'],
    [{ history_visibility: 'shared' }, 'shared'],
    [{ history_visibility: 'invited' }, 'invited'],
    [{ history_visibility: 'joined' }, 'joined'],
    [{ history_visibility: 'Joined' }, 'shared'],
    [{ history_visibility: 3 }, 'shared'],
    [{}, 'shared'],
    [undefined, 'shared'],
  ];
  for (const [content, expected] of cases) assert.equal(historyVisibilityOf(content as never), expected, JSON.stringify(content));
  assert.equal(membershipOf({ membership: 'join' }), 'join');
  assert.equal(membershipOf({ membership: 1 }), null);
  assert.equal(membershipOf(undefined), null);
});

void test('isVisibleToUser: the spec rules for every setting × membership × joined-after', () => {
  // [setting, membership at the event, joined after, visible]
  const table: [HistoryVisibility, string | null, boolean, boolean][] = [
    ['world_readable', null, false, true],
    ['world_readable', 'leave', false, true],
    ['world_readable', 'ban', false, true],
    ['shared', 'join', false, true],
    ['shared', null, true, true],
    ['shared', 'leave', true, true],
    ['shared', null, false, false],
    ['shared', 'leave', false, false],
    ['shared', 'invite', false, false],
    ['shared', 'knock', false, false],
    ['invited', 'invite', false, true],
    ['invited', 'join', false, true],
    ['invited', null, true, false],
    ['invited', 'leave', true, false],
    ['invited', 'knock', false, false],
    ['joined', 'join', false, true],
    ['joined', 'invite', false, false],
    ['joined', null, true, false],
    ['joined', 'leave', true, false],
    ['joined', 'ban', false, false],
  ];
  for (const [v, m, joinedAfter, expected] of table) {
    assert.equal(isVisibleToUser({ visibilities: [v], memberships: [m], joinedAfter }), expected, `${v} ${m} ${joinedAfter}`);
  }
});

void test('an anonymous reader sees world-readable events only', () => {
  const anon = (v: HistoryVisibility) => isVisibleToUser({ visibilities: [v], memberships: [null], joinedAfter: false });
  assert.deepEqual((['world_readable', 'shared', 'invited', 'joined'] as const).map(anon), [true, false, false, false]);
});

void test('a history visibility event counts the setting before or after it', () => {
  const hv = (to: HistoryVisibility) => ({ type: 'm.room.history_visibility', stateKey: '', content: { history_visibility: to } });
  assert.deepEqual(visibilitiesFor(hv('world_readable'), 'joined'), ['joined', 'world_readable']);
  assert.deepEqual(visibilitiesFor({ ...hv('joined'), stateKey: 'x' }, 'shared'), ['shared']);
  assert.deepEqual(visibilitiesFor({ type: 'm.room.message', stateKey: undefined, content: {} }, 'invited'), ['invited']);
  // A non-member sees both the change to and the change from world_readable, not joined → invited.
  const nonMember = (before: HistoryVisibility, to: HistoryVisibility) =>
    isVisibleToUser({ visibilities: visibilitiesFor(hv(to), before), memberships: [null], joinedAfter: false });
  assert.equal(nonMember('joined', 'world_readable'), true);
  assert.equal(nonMember('world_readable', 'joined'), true);
  assert.equal(nonMember('joined', 'invited'), false);
});

void test("the user's own member event counts the membership before or after it", () => {
  const member = (userId: string, m: string) => ({ type: 'm.room.member', stateKey: userId, content: { membership: m } });
  assert.deepEqual(membershipsFor(member(ALICE, 'join'), ALICE, 'invite'), ['invite', 'join']);
  assert.deepEqual(membershipsFor(member('@bob:a.test', 'join'), ALICE, null), [null]);
  const sees = (before: string | null, after: string, v: HistoryVisibility = 'joined') =>
    isVisibleToUser({ visibilities: [v], memberships: membershipsFor(member(ALICE, after), ALICE, before), joinedAfter: false });
  assert.equal(sees(null, 'join'), true, 'own join');
  assert.equal(sees('join', 'leave'), true, 'own leave from join');
  assert.equal(sees('join', 'ban'), true, 'own ban from join');
  assert.equal(sees('invite', 'leave'), false, 'invite rejection under joined');
  assert.equal(sees('invite', 'leave', 'invited'), true, 'invite rejection under invited');
  assert.equal(sees(null, 'invite', 'invited'), true, 'own invite under invited');
  assert.equal(sees(null, 'invite'), false, 'own invite under joined');
  // Someone else's join gives Alice nothing.
  assert.equal(isVisibleToUser({ visibilities: ['joined'], memberships: membershipsFor(member('@bob:a.test', 'join'), ALICE, null), joinedAfter: false }), false);
});

void test('isVisibleToServer: shared and world_readable to any server; invited and joined by its members at the event', () => {
  const table: [HistoryVisibility, string[], boolean][] = [
    ['world_readable', [], true],
    ['shared', [], true],
    ['shared', ['leave'], true],
    ['invited', ['invite'], true],
    ['invited', ['leave', 'join'], true],
    ['invited', ['leave', 'ban'], false],
    ['invited', [], false],
    ['joined', ['join'], true],
    ['joined', ['invite'], false],
    ['joined', ['leave', 'knock'], false],
    ['joined', [], false],
  ];
  for (const [v, memberships, expected] of table) assert.equal(isVisibleToServer({ visibilities: [v], memberships }), expected, `${v} ${memberships.join(',')}`);
  assert.equal(isVisibleToServer({ visibilities: ['joined', 'world_readable'], memberships: [] }), true);
});
