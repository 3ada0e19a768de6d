/**
 * The userapi API's `querySearchUserDirectory`, in-process and over inthttp: the same answer on
 * both transports, profile changes made through the API reflected at once.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeUserApi, TEST_SERVER_NAME } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:${TEST_SERVER_NAME}`;

describeUserApi('userapi user directory', (api, env) => {
  it('searches users sharing a room, in order, with their global profiles', async () => {
    for (const name of ['quinn', 'quentin', 'quasimodo']) await api().performAccountCreation({ localpart: name, accountType: 'user', password: 'pw' });
    await api().performProfileUpdate({ userId: uid('quentin'), field: 'avatar_url', value: 'mxc://test.local/q' });
    await api().performProfileUpdate({ userId: uid('quasimodo'), field: 'displayname', value: 'Bell Ringer' });
    await env.kit().storage.replaceDirectoryRoom({
      roomId: '!room:test.local',
      streamPosition: 1,
      joinRule: 'invite',
      historyVisibility: 'shared',
      members: [
        { userId: uid('quinn'), localpart: 'quinn', displayName: null, avatarUrl: null },
        { userId: uid('quentin'), localpart: 'quentin', displayName: 'ignored', avatarUrl: null },
        { userId: uid('quasimodo'), localpart: 'quasimodo', displayName: null, avatarUrl: null },
        { userId: '@qed:remote.test', localpart: null, displayName: 'Q.E.D.', avatarUrl: 'mxc://remote.test/qed' },
      ],
    });
    assert.deepEqual(await api().querySearchUserDirectory({ searcherId: uid('quinn'), term: 'q', limit: 3 }), {
      // By display name: "Bell Ringer" (found by the localpart), "Q.E.D.", "quentin"; then "quinn".
      results: [
        { userId: uid('quasimodo'), displayName: 'Bell Ringer', avatarUrl: null },
        { userId: '@qed:remote.test', displayName: 'Q.E.D.', avatarUrl: 'mxc://remote.test/qed' },
        { userId: uid('quentin'), displayName: 'quentin', avatarUrl: 'mxc://test.local/q' },
      ],
      limited: true,
    });
    assert.deepEqual(await api().querySearchUserDirectory({ searcherId: uid('quinn'), term: 'ringer', limit: 10 }), {
      results: [{ userId: uid('quasimodo'), displayName: 'Bell Ringer', avatarUrl: null }],
      limited: false,
    });
    // Not a member: the room is private, so nobody is visible to this searcher.
    assert.deepEqual(await api().querySearchUserDirectory({ searcherId: uid('outsider'), term: 'q', limit: 10 }), { results: [], limited: false });
  });
});
