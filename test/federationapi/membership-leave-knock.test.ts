/**
 * `make_leave`/`send_leave` (v1, v2) and `make_knock`/`send_knock` over a real roomserver, with
 * `remote.test` as the asking server: the roundtrips that change the member's membership, the
 * stripped state a knock is answered with, and the refusals (nothing to leave, no `ver`, a room
 * that does not take knocks).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, uid } from '../roomserver/roomserver-api-kit.js';
import type { SigningKey } from '../../src/matrix/signing-key.js';
import { enc, fillTemplate, ok, refused, storedPdus, withMembershipApp } from './membership-test-kit.js';

const ALICE = uid('alice');
const ROB = uid('rob', REMOTE);
const RITA = uid('rita', REMOTE);

async function joinRemote(api: RoomserverAPI, roomId: string, key: SigningKey, user: string): Promise<void> {
  const join = await remoteEvent(api, roomId, key, { type: 'm.room.member', stateKey: user, sender: user, content: { membership: 'join' } });
  assert.equal((await api.inputRoomEvents({ inputs: [{ kind: 'new', event: join.json, roomVersion: '12', origin: REMOTE }] })).results[0]?.accepted, true);
}

describeRoomserverApi('federation make_leave / send_leave, make_knock / send_knock', (api, env) => {
  it('make_leave → send_leave v2 and v1: the members leave; someone never in the room gets 403', async () => {
    const r = await createRoom(api(), '12', ALICE);
    await joinRemote(api(), r.roomId, env().remoteKey, ROB);
    await joinRemote(api(), r.roomId, env().remoteKey, RITA);
    await withMembershipApp(api(), async (app) => {
      const tpl = ok(await app.get(`/_matrix/federation/v1/make_leave/${enc(r.roomId)}/${enc(ROB)}`)).event as JsonObject;
      assert.deepEqual([tpl.sender, tpl.state_key, tpl.content], [ROB, ROB, { membership: 'leave' }]);
      const leave = fillTemplate(tpl, '12', env().remoteKey);
      assert.deepEqual(ok(await app.put(`/_matrix/federation/v2/send_leave/${enc(r.roomId)}/${enc(leave.eventId)}`, leave.json)), {});
      assert.equal((await api().queryMembership({ roomId: r.roomId, userId: ROB })).membership, 'leave');

      const ritaTpl = ok(await app.get(`/_matrix/federation/v1/make_leave/${enc(r.roomId)}/${enc(RITA)}`)).event as JsonObject;
      const ritaLeave = fillTemplate(ritaTpl, '12', env().remoteKey);
      const v1 = await app.put(`/_matrix/federation/v1/send_leave/${enc(r.roomId)}/${enc(ritaLeave.eventId)}`, ritaLeave.json);
      assert.equal(v1.status, 200);
      assert.deepEqual(v1.body, [200, {}]);
      assert.equal((await api().queryMembership({ roomId: r.roomId, userId: RITA })).membership, 'leave');

      refused(await app.get(`/_matrix/federation/v1/make_leave/${enc(r.roomId)}/${enc(uid('never', REMOTE))}`), 403, 'M_FORBIDDEN');
      refused(await app.get(`/_matrix/federation/v1/make_leave/${enc(r.roomId)}/${enc(ALICE)}`), 403, 'M_FORBIDDEN');
      // A join sent to send_leave.
      const join = fillTemplate(tpl, '12', env().remoteKey, { membership: 'join' });
      refused(await app.put(`/_matrix/federation/v2/send_leave/${enc(r.roomId)}/${enc(join.eventId)}`, join.json), 400, 'M_BAD_JSON');
    });
  });

  it('make_knock → send_knock: Rob knocks and gets the stripped state; refusals', async () => {
    const r = await createRoom(api(), '12', ALICE, '', { joinRule: 'knock' });
    await withMembershipApp(api(), async (app) => {
      const url = `/_matrix/federation/v1/make_knock/${enc(r.roomId)}/${enc(ROB)}`;
      refused(await app.get(url), 400, 'M_MISSING_PARAM');
      refused(await app.get(`${url}?ver=11`), 400, 'M_INCOMPATIBLE_ROOM_VERSION');
      const made = ok(await app.get(`${url}?ver=12`));
      assert.equal(made.room_version, '12');
      const knock = fillTemplate(made.event as JsonObject, '12', env().remoteKey, { reason: 'let me in' });
      const res = ok(await app.put(`/_matrix/federation/v1/send_knock/${enc(r.roomId)}/${enc(knock.eventId)}`, knock.json));
      const [create, joinRules] = await storedPdus(api(), [r.createId, r.joinRulesId]);
      assert.deepEqual(res.knock_room_state, [
        { type: 'm.room.create', state_key: '', sender: ALICE, content: create!.content },
        { type: 'm.room.join_rules', state_key: '', sender: ALICE, content: joinRules!.content },
      ]);
      assert.equal((await api().queryMembership({ roomId: r.roomId, userId: ROB })).membership, 'knock');
    });
    const open = await createRoom(api(), '12', ALICE);
    await withMembershipApp(api(), async (app) => {
      refused(await app.get(`/_matrix/federation/v1/make_knock/${enc(open.roomId)}/${enc(ROB)}?ver=12`), 403, 'M_FORBIDDEN');
    });
  });
});
