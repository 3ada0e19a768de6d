/**
 * `performReceiveInvite` over a real roomserver: an invite from `remote.test` (co-signed by us,
 * as the federation route does) for a room we do not hold becomes the room's current state —
 * the invitee's membership, an `OutputRoomEvent` with `unsigned.invite_room_state`, no forward
 * extremity, a pending invite — and a repeat changes nothing; a bad signature, a non-local
 * invitee and a version clash are refused.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildEvent } from '../../src/matrix/build-event.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { addEventSignature } from '../../src/matrix/sign-event.js';
import { generateSigningKey, type SigningKey } from '../../src/matrix/signing-key.js';
import { describeRoomserverApi, LOCAL_KEY, REMOTE, rejectsWith, SERVER, uid } from './roomserver-api-kit.js';

const ROB = uid('rob', REMOTE);
const STATE: JsonObject[] = [{ type: 'm.room.name', state_key: '', sender: ROB, content: { name: 'There' } }];

function invite(key: SigningKey, roomId: string, target: string): RoomEvent {
  return buildEvent(
    {
      type: 'm.room.member',
      state_key: target,
      sender: ROB,
      content: { membership: 'invite' },
      room_id: roomId,
      prev_events: [`$${'p'.repeat(43)}`],
      auth_events: [`$${'a'.repeat(43)}`],
      depth: 3,
      origin_server_ts: 1_700_000_000_000,
    },
    roomVersion('11'),
    { serverName: REMOTE, key },
  );
}
const cosigned = (ev: RoomEvent) => addEventSignature(ev.json, roomVersion('11'), SERVER, LOCAL_KEY);

describeRoomserverApi('roomserver performReceiveInvite', (api, env) => {
  it('a room we do not hold: the invite is its current state, published with its stripped state', async () => {
    const roomId = `!far:${REMOTE}`;
    const ev = invite(env().remoteKey, roomId, uid('bob'));
    const req = { event: cosigned(ev), roomVersion: '11', inviteRoomState: STATE, origin: REMOTE };
    assert.deepEqual(await api().performReceiveInvite(req), { eventId: ev.eventId, outlier: false });
    assert.deepEqual(await api().queryMembership({ roomId, userId: uid('bob') }), { membership: 'invite', eventId: ev.eventId });
    assert.deepEqual((await api().queryRoomInfo({ roomId })).latestEventIds, []);
    const { events } = await api().queryState({ roomId });
    assert.deepEqual(events.map((e) => e.eventId), [ev.eventId]);
    await env().waitForPublished((ms) => ms.some((m) => m.type === 'new_room_event' && m.eventId === ev.eventId));
    const pending = await env().storage.getPendingInvites(uid('bob'), roomId);
    assert.deepEqual(pending.map((p) => [p.inviteEventId, p.strippedState]), [[ev.eventId, STATE]]);
    // A repeat: nothing new published.
    const before = env().published.length;
    await api().performReceiveInvite(req);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(env().published.length, before);
  });

  it('refusals: a forged signature, a user of another server, another version than the room\'s', async () => {
    const roomId = `!refused:${REMOTE}`;
    const forged = invite(generateSigningKey('forged'), roomId, uid('bob'));
    await rejectsWith(api().performReceiveInvite({ event: cosigned(forged), roomVersion: '11', inviteRoomState: [], origin: REMOTE }), 'M_FORBIDDEN');
    const foreign = invite(env().remoteKey, roomId, uid('zed', 'elsewhere.test'));
    await rejectsWith(api().performReceiveInvite({ event: cosigned(foreign), roomVersion: '11', inviteRoomState: [], origin: REMOTE }), 'M_BAD_JSON');
    const ok = invite(env().remoteKey, roomId, uid('bob'));
    await api().performReceiveInvite({ event: cosigned(ok), roomVersion: '11', inviteRoomState: [], origin: REMOTE });
    const other = invite(env().remoteKey, roomId, uid('carol'));
    await rejectsWith(api().performReceiveInvite({ event: cosigned(other), roomVersion: '10', inviteRoomState: [], origin: REMOTE }), 'M_INCOMPATIBLE_ROOM_VERSION');
    assert.equal((await api().queryMembership({ roomId, userId: uid('carol') })).membership, null);
  });
});
