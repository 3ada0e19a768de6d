/** The roomserver API: performCreateRoom (order of events in the DAG, v11 and v12), membership and alias methods. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeRoomserverApi, rejectsWith, SERVER, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob');

describeRoomserverApi(
  'roomserver API: room creation and membership',
  (api) => {
    for (const version of ['11', '12'] as const) {
      it(`creates a v${version} room whose events follow the spec's order in the DAG`, async () => {
        const { roomId, roomAlias } = await api().performCreateRoom({
          userId: ALICE,
          displayName: 'Alice',
          roomVersion: version,
          preset: 'public_chat',
          visibility: 'public',
          roomAliasName: `order${version}`,
          name: 'N',
          topic: 'T',
          invite: [BOB],
          initialState: [{ type: 'org.x', content: { a: 1 } }],
        });
        assert.equal(roomAlias, `#order${version}:${SERVER}`);
        const { events } = await api().queryState({ roomId });
        const byDepth = [...events].sort((a, b) => (a.event.depth as number) - (b.event.depth as number));
        assert.deepEqual(
          byDepth.map((e) => `${e.event.type as string}|${e.event.state_key as string}`),
          [
            'm.room.create|',
            `m.room.member|${ALICE}`,
            'm.room.power_levels|',
            'm.room.canonical_alias|',
            'm.room.join_rules|',
            'm.room.history_visibility|',
            'm.room.guest_access|',
            'org.x|',
            'm.room.name|',
            'm.room.topic|',
            `m.room.member|${BOB}`,
          ],
        );
        assert.deepEqual(byDepth.map((e) => e.event.depth), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        if (version === '12') assert.equal(roomId, `!${byDepth[0]!.eventId.slice(1)}`);
        assert.deepEqual(await api().queryRoomAlias({ alias: `#order${version}:${SERVER}` }), { roomId });
        assert.deepEqual(await api().queryMembership({ roomId, userId: BOB }), { membership: 'invite', eventId: byDepth[10]!.eventId });
        assert.deepEqual(await api().queryAliasesForRoom({ roomId }), { aliases: [`#order${version}:${SERVER}`] });
      });
    }

    it('joins by alias, leaves twice with one event, refuses a kick of a non-member and an unban of a non-banned user', async () => {
      const { roomId } = await api().performCreateRoom({ userId: ALICE, preset: 'public_chat', roomAliasName: 'joinme' });
      const joined = await api().performJoin({ roomIdOrAlias: `#joinme:${SERVER}`, userId: BOB, content: { displayname: 'Bob' } });
      assert.equal(joined.roomId, roomId);
      const left = await api().performMembership({ action: 'leave', roomId, sender: BOB, target: BOB });
      assert.deepEqual(await api().performMembership({ action: 'leave', roomId, sender: BOB, target: BOB }), left);
      await rejectsWith(api().performMembership({ action: 'kick', roomId, sender: ALICE, target: BOB }), 'M_FORBIDDEN', /not in the room/);
      await rejectsWith(api().performMembership({ action: 'unban', roomId, sender: ALICE, target: BOB }), 'M_FORBIDDEN', /not banned/);
      await rejectsWith(api().performJoin({ roomIdOrAlias: `#nope:${SERVER}`, userId: BOB }), 'M_NOT_FOUND');
      await rejectsWith(api().performJoin({ roomIdOrAlias: `!nope:${SERVER}`, userId: BOB }), 'M_NOT_FOUND');
      await rejectsWith(api().performJoin({ roomIdOrAlias: 'garbage', userId: BOB }), 'M_INVALID_PARAM');
    });

    it('sets and removes aliases with the access rules', async () => {
      const { roomId } = await api().performCreateRoom({ userId: ALICE, preset: 'public_chat' });
      const alias = `#made:${SERVER}`;
      assert.deepEqual(await api().performSetRoomAlias({ alias, roomId, userId: BOB }), { created: true });
      assert.deepEqual(await api().performSetRoomAlias({ alias, roomId, userId: ALICE }), { created: false });
      await rejectsWith(api().performSetRoomAlias({ alias: '#x:elsewhere.test', roomId, userId: ALICE }), 'M_INVALID_PARAM');
      await rejectsWith(api().performRemoveRoomAlias({ alias, userId: uid('carol') }), 'M_FORBIDDEN');
      // The creator of the alias may remove it without any power in the room.
      assert.deepEqual(await api().performRemoveRoomAlias({ alias, userId: BOB }), { removed: true });
      assert.deepEqual(await api().performRemoveRoomAlias({ alias, userId: BOB }), { removed: false });
      assert.deepEqual(await api().queryRoomAlias({ alias }), { roomId: null });
    });
  },
);
