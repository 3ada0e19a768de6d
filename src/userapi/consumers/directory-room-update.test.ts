import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import { changeOf } from './directory-room-update.js';

const deps = { serverName: 'hs.test' };
const member = (userId: string, membership: string, content: JsonObject = {}): JsonObject => ({
  type: 'm.room.member',
  state_key: userId,
  content: { membership, ...content },
});

describe('directory change of state events', () => {
  it('turns joins into members (local ones with their localpart) and other memberships into leaves', () => {
    const change = changeOf(deps, '!r', [
      member('@alice:hs.test', 'join', { displayname: 'Alice', avatar_url: 'mxc://hs.test/a' }),
      member('@rita:remote.test', 'join', { displayname: 42 }),
      member('@bob:hs.test', 'leave'),
      member('@carl:hs.test', 'invite'),
      member('@dan:hs.test', 'ban'),
    ], []);
    assert.deepEqual(change, {
      roomId: '!r',
      joined: [
        { userId: '@alice:hs.test', localpart: 'alice', displayName: 'Alice', avatarUrl: 'mxc://hs.test/a' },
        { userId: '@rita:remote.test', localpart: null, displayName: null, avatarUrl: null },
      ],
      left: ['@bob:hs.test', '@carl:hs.test', '@dan:hs.test'],
    });
  });

  it('reads the join rule and history visibility, ignoring other state and odd state keys', () => {
    const change = changeOf(deps, '!r', [
      { type: 'm.room.join_rules', state_key: '', content: { join_rule: 'public' } },
      { type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'world_readable' } },
      { type: 'm.room.join_rules', state_key: 'x', content: { join_rule: 'invite' } },
      { type: 'm.room.name', state_key: '', content: { name: 'n' } },
    ], []);
    assert.deepEqual(change, { roomId: '!r', joined: [], left: [], joinRule: 'public', historyVisibility: 'world_readable' });
    assert.equal(changeOf(deps, '!r', [{ type: 'm.room.message', content: { body: 'hi' } }], []), undefined);
    assert.deepEqual(changeOf(deps, '!r', [{ type: 'm.room.join_rules', state_key: '', content: { join_rule: 7 } }], []), {
      roomId: '!r',
      joined: [],
      left: [],
      joinRule: null,
    });
  });

  it('treats removed entries not replaced by an added one as gone', () => {
    const change = changeOf(
      deps,
      '!r',
      [member('@alice:hs.test', 'join')],
      [
        member('@alice:hs.test', 'invite'),
        member('@bob:hs.test', 'join'),
        { type: 'm.room.join_rules', state_key: '', content: { join_rule: 'public' } },
        { type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'shared' } },
      ],
    );
    assert.deepEqual(change, {
      roomId: '!r',
      joined: [{ userId: '@alice:hs.test', localpart: 'alice', displayName: null, avatarUrl: null }],
      left: ['@bob:hs.test'],
      joinRule: null,
      historyVisibility: null,
    });
  });
});
