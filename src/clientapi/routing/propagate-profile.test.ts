import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { ProtoEvent, QueryStateResponse } from '../../roomserver/api.js';
import { profileMemberContent, propagateProfile, type PropagateProfileDeps } from './propagate-profile.js';

const ALICE = '@alice:hs.test';

describe('profileMemberContent', () => {
  it('replaces the profile keys, keeps the others and drops the one-time keys', () => {
    const current = {
      membership: 'join',
      displayname: 'old',
      avatar_url: 'mxc://hs.test/old',
      is_direct: true,
      'org.example.flair': 'gold',
      reason: 'hello',
      join_authorised_via_users_server: '@bob:hs.test',
      third_party_invite: { display_name: 'a', signed: {} },
    };
    assert.deepEqual(profileMemberContent(current, { displayname: 'new', 'm.tz': 'Europe/London' }), {
      membership: 'join',
      displayname: 'new',
      is_direct: true,
      'org.example.flair': 'gold',
    });
    assert.deepEqual(profileMemberContent({ membership: 'join' }, { avatar_url: 'mxc://hs.test/a' }), { membership: 'join', avatar_url: 'mxc://hs.test/a' });
  });
});

/** A roomserver stand-in: alice joined to `rooms`, with member content per room; `failIn` refuses sends there. */
function fakeRoomserver(rooms: Record<string, JsonObject>, failIn: string | undefined) {
  const sent: ProtoEvent[] = [];
  const warnings: unknown[] = [];
  const deps: PropagateProfileDeps = {
    logger: { warn: (obj: unknown) => void warnings.push(obj) } as PropagateProfileDeps['logger'],
    roomserverApi: {
      queryRoomsForUser: async () => ({ roomIds: Object.keys(rooms) }),
      queryState: async ({ roomId }): Promise<QueryStateResponse> => ({
        found: true,
        events: [{ eventId: `$m-${roomId}`, roomId, roomVersion: '11', event: { type: 'm.room.member', content: rooms[roomId]! }, rejected: false, outlier: false }],
      }),
      performSendEvents: async ({ events }) => {
        if (events[0]!.roomId === failIn) throw MatrixError.forbidden('no');
        sent.push(...events);
        return { eventIds: events.map((_, i) => `$new${i}`) };
      },
    },
  };
  return { deps, sent, warnings };
}

describe('propagateProfile', () => {
  it('goes on after a room refuses, logging it, and skips rooms already showing the profile or left meanwhile', async () => {
    const { deps, sent, warnings } = fakeRoomserver(
      {
        '!a:hs.test': { membership: 'join', displayname: 'old' },
        '!b:hs.test': { membership: 'join', displayname: 'old' },
        '!c:hs.test': { membership: 'join', displayname: 'new' },
        '!d:hs.test': { membership: 'leave' },
        '!e:hs.test': { membership: 'join' },
      },
      '!b:hs.test',
    );
    const result = await propagateProfile(deps, ALICE, { displayname: 'new' });
    assert.deepEqual(result, { sent: ['!a:hs.test', '!e:hs.test'], skipped: ['!c:hs.test', '!d:hs.test'], failed: ['!b:hs.test'] });
    assert.deepEqual(
      sent.map((e) => [e.roomId, e.type, e.stateKey, e.sender, e.content]),
      [
        ['!a:hs.test', 'm.room.member', ALICE, ALICE, { membership: 'join', displayname: 'new' }],
        ['!e:hs.test', 'm.room.member', ALICE, ALICE, { membership: 'join', displayname: 'new' }],
      ],
    );
    assert.equal(warnings.length, 1);
    assert.equal((warnings[0] as { roomId: string }).roomId, '!b:hs.test');
  });

  it('logs and sends nothing when the joined rooms cannot be listed', async () => {
    const { deps, warnings } = fakeRoomserver({}, undefined);
    const failing: PropagateProfileDeps = {
      ...deps,
      roomserverApi: { ...deps.roomserverApi, queryRoomsForUser: () => Promise.reject(new Error('roomserver down')) },
    };
    assert.deepEqual(await propagateProfile(failing, ALICE, { displayname: 'x' }), { sent: [], skipped: [], failed: [] });
    assert.equal(warnings.length, 1);
  });
});
