import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { roomVersion } from '../../matrix/room-version.js';
import { planCreateRoom } from './create-room-plan.js';

const A = '@a:hs';
const B = '@b:hs';
const C = '@c:hs';
const keys = (plan: ReturnType<typeof planCreateRoom>) => plan.events('!r:hs').map((e) => `${e.type}|${e.stateKey ?? '-'}`);

describe('planCreateRoom', () => {
  it("orders every kind of event as the spec says; initial_state beats the preset, name and topic beat initial_state", () => {
    const plan = planCreateRoom(
      {
        userId: A,
        preset: 'private_chat',
        name: 'N',
        topic: 'T',
        invite: [B, B],
        initialState: [
          { type: 'm.room.history_visibility', content: { history_visibility: 'joined' } },
          { type: 'm.room.name', content: { name: 'ignored' } },
          { type: 'org.x', stateKey: 'k', content: { a: 1 } },
        ],
      },
      roomVersion('11'),
      '#al:hs',
    );
    assert.deepEqual(keys(plan), [
      `m.room.member|${A}`,
      'm.room.power_levels|',
      'm.room.canonical_alias|',
      'm.room.join_rules|',
      'm.room.guest_access|',
      'm.room.history_visibility|',
      'org.x|k',
      'm.room.name|',
      'm.room.topic|',
      `m.room.member|${B}`,
    ]);
    const events = plan.events('!r:hs');
    assert.deepEqual(events[5]!.content, { history_visibility: 'joined' });
    assert.deepEqual(events[7]!.content, { name: 'N' });
    assert.ok(events.every((e) => e.roomId === '!r:hs' && e.sender === A));
    assert.deepEqual(plan.createContent, { room_version: '11' });
  });

  it('v1–v10 set creator; v11+ drop a client-given creator; public visibility picks public_chat', () => {
    const v10 = planCreateRoom({ userId: A, creationContent: { creator: B, 'm.federate': false } }, roomVersion('10'), null);
    assert.deepEqual(v10.createContent, { creator: A, 'm.federate': false, room_version: '10' });
    assert.equal(v10.preset, 'private_chat');
    const v11 = planCreateRoom({ userId: A, visibility: 'public', creationContent: { creator: B } }, roomVersion('11'), null);
    assert.deepEqual(v11.createContent, { room_version: '11' });
    assert.equal(v11.preset, 'public_chat');
    const pl = v11.events('!r:hs').find((e) => e.type === 'm.room.power_levels')!;
    assert.deepEqual(pl.content.users, { [A]: 100 });
    assert.equal(pl.content.invite, 50);
  });

  it('v12 trusted_private_chat: invitees join additional_creators (deduplicated, creator excluded), users stays empty', () => {
    const plan = planCreateRoom(
      { userId: A, preset: 'trusted_private_chat', invite: [B, C], creationContent: { additional_creators: [C, A] } },
      roomVersion('12'),
      null,
    );
    assert.deepEqual(plan.createContent, { room_version: '12', additional_creators: [C, B] });
    const pl = plan.events('!h').find((e) => e.type === 'm.room.power_levels')!;
    assert.deepEqual(pl.content.users, {});
    assert.equal((pl.content.events as Record<string, number>)['m.room.tombstone'], 150);
  });

  it('refuses what the room could never accept, before anything is sent', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof MatrixError ? e.errcode : String(e);
      }
      return 'none';
    };
    assert.equal(code(() => planCreateRoom({ userId: A, invite: ['bob'] }, roomVersion('11'), null)), 'M_INVALID_PARAM');
    assert.equal(code(() => planCreateRoom({ userId: A, initialState: [{ type: 'm.room.create', content: {} }] }, roomVersion('11'), null)), 'M_INVALID_PARAM');
    assert.equal(code(() => planCreateRoom({ userId: A, creationContent: { additional_creators: 'x' } }, roomVersion('12'), null)), 'M_BAD_JSON');
    assert.equal(
      code(() => planCreateRoom({ userId: A, creationContent: { additional_creators: [B] }, powerLevelContentOverride: { users: { [B]: 50 } } }, roomVersion('12'), null)),
      'M_INVALID_ROOM_STATE',
    );
  });
});
