/**
 * `make_join` and `send_join` (v1, v2) over a real roomserver (SQLite and PostgreSQL,
 * in-process and over inthttp), with `remote.test` as the joining server whose key the
 * roomserver knows: the template on the room's head, the roundtrip that makes the member and
 * answers exactly the state before the join and its auth chain, the refusals (ban, wrong
 * origin, incompatible version, unknown room, ACL, mismatched or forged events), restricted
 * joins authorised and co-signed by us, and partial state (`omit_members`).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { federationPdu } from '../../src/federationapi/routing/served-pdus.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { generateSigningKey } from '../../src/matrix/signing-key.js';
import { verifyEventSignatures } from '../../src/matrix/verify-event.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, LOCAL_KEY, REMOTE, remoteEvent, SERVER, uid } from '../roomserver/roomserver-api-kit.js';
import { enc, fillTemplate, ok, refused, withMembershipApp, type MembershipApp } from './membership-test-kit.js';

const ALICE = uid('alice');
const CAROL = uid('carol');
const ROB = uid('rob', REMOTE);
const RITA = uid('rita', REMOTE);

const makeJoin = (app: MembershipApp, roomId: string, user: string, q = '?ver=11&ver=12', origin?: string) =>
  app.get(`/_matrix/federation/v1/make_join/${enc(roomId)}/${enc(user)}${q}`, origin);

/** The stored PDUs of `ids` as served, as a set of canonical strings (order-free comparison). */
async function servedSet(api: RoomserverAPI, ids: readonly string[]): Promise<Set<string>> {
  const { events } = await api.queryEvents({ eventIds: ids });
  assert.equal(events.length, ids.length);
  return new Set(events.map((e) => JSON.stringify(federationPdu(e))));
}
const asSet = (pdus: unknown) => new Set((pdus as JsonObject[]).map((p) => JSON.stringify(p)));

describeRoomserverApi('federation make_join / send_join', (api, env) => {
  it('make_join → fill → send_join v2: Rob joins; state and auth chain are exactly those before the join', async () => {
    const r = await createRoom(api(), '12', ALICE);
    await withMembershipApp(api(), async (app) => {
      const made = ok(await makeJoin(app, r.roomId, ROB));
      assert.equal(made.room_version, '12');
      const tpl = made.event as JsonObject;
      assert.deepEqual([tpl.type, tpl.state_key, tpl.sender, tpl.room_id, tpl.content], ['m.room.member', ROB, ROB, r.roomId, { membership: 'join' }]);
      assert.deepEqual(tpl.prev_events, [r.joinRulesId]);
      assert.deepEqual([...(tpl.auth_events as string[])].sort(), [r.powerId, r.joinRulesId].sort());
      assert.equal(tpl.depth, 5);
      for (const k of ['event_id', 'hashes', 'signatures', 'origin']) assert.equal(tpl[k], undefined, k);

      const join = fillTemplate(tpl, '12', env().remoteKey);
      const res = ok(await app.put(`/_matrix/federation/v2/send_join/${enc(r.roomId)}/${enc(join.eventId)}`, join.json));
      assert.equal((await api().queryMembership({ roomId: r.roomId, userId: ROB })).membership, 'join');
      assert.equal(res.origin, SERVER);
      assert.equal(res.members_omitted, false);
      assert.equal(res.event, undefined, 'nothing co-signed in a public room');
      const before = [r.createId, r.joinId, r.powerId, r.joinRulesId];
      assert.deepEqual(asSet(res.state), await servedSet(api(), before));
      assert.equal((res.state as unknown[]).length, 4);
      // v12 leaves the create event out of auth_events, yet it is every event's auth: the chain has it.
      assert.deepEqual(asSet(res.auth_chain), await servedSet(api(), [r.createId, r.joinId, r.powerId]));
      // The resident server sends the join on to the room.
      await env().waitForPublished((ms) => ms.some((m) => m.type === 'new_room_event' && m.eventId === join.eventId && m.sendAsServer === SERVER));
    });
  });

  it('send_join v1 answers [200, {origin, state, auth_chain}]; a repeat is accepted again', async () => {
    const r = await createRoom(api(), '11', ALICE, `!v1join:${SERVER}`);
    await withMembershipApp(api(), async (app) => {
      const made = ok(await makeJoin(app, r.roomId, ROB, '?ver=11'));
      const join = fillTemplate(made.event as JsonObject, '11', env().remoteKey);
      const url = `/_matrix/federation/v1/send_join/${enc(r.roomId)}/${enc(join.eventId)}`;
      const res = await app.put(url, join.json);
      assert.equal(res.status, 200);
      const [code, body] = res.body as unknown as [number, Record<string, unknown>];
      assert.equal(code, 200);
      assert.deepEqual(Object.keys(body).sort(), ['auth_chain', 'origin', 'state']);
      assert.deepEqual(asSet(body.state), await servedSet(api(), [r.createId, r.joinId, r.powerId, r.joinRulesId]));
      assert.deepEqual(asSet(body.auth_chain), await servedSet(api(), [r.createId, r.joinId, r.powerId]));
      assert.equal((await app.put(url, join.json)).status, 200);
      assert.equal((await api().queryMembership({ roomId: r.roomId, userId: ROB })).membership, 'join');
    });
  });

  it('make_join refusals: banned, user of another server, incompatible version, unknown room, ACL', async () => {
    const r = await createRoom(api(), '12', ALICE);
    await api().performMembership({ action: 'ban', roomId: r.roomId, sender: ALICE, target: RITA });
    await withMembershipApp(api(), async (app) => {
      const banned = await makeJoin(app, r.roomId, RITA);
      refused(banned, 403, 'M_FORBIDDEN');
      assert.match(String(banned.body.error), /banned/);
      refused(await makeJoin(app, r.roomId, uid('eve', 'elsewhere.test')), 403, 'M_FORBIDDEN');
      refused(await makeJoin(app, r.roomId, ROB, '', 'elsewhere.test'), 403, 'M_FORBIDDEN');
      const old = await makeJoin(app, r.roomId, ROB, '?ver=10&ver=11');
      refused(old, 400, 'M_INCOMPATIBLE_ROOM_VERSION');
      assert.equal(old.body.room_version, '12');
      refused(await makeJoin(app, r.roomId, ROB, ''), 400, 'M_INCOMPATIBLE_ROOM_VERSION');
      refused(await makeJoin(app, `!nowhere:${SERVER}`, ROB), 404, 'M_NOT_FOUND');
      await api().performSendEvents({ events: [{ roomId: r.roomId, type: 'm.room.server_acl', stateKey: '', sender: ALICE, content: { allow: ['*'], deny: [REMOTE] } }] });
      refused(await makeJoin(app, r.roomId, ROB), 403, 'M_FORBIDDEN');
    });
  });

  it('send_join refusals: path mismatch, wrong membership, wrong origin, forged signature, banned meanwhile', async () => {
    const r = await createRoom(api(), '12', ALICE);
    await withMembershipApp(api(), async (app) => {
      const tpl = ok(await makeJoin(app, r.roomId, ROB)).event as JsonObject;
      const join = fillTemplate(tpl, '12', env().remoteKey);
      const url = (id: string) => `/_matrix/federation/v2/send_join/${enc(r.roomId)}/${enc(id)}`;
      refused(await app.put(url('$not-this-one'), join.json), 400, 'M_BAD_JSON');
      const leave = fillTemplate(tpl, '12', env().remoteKey, { membership: 'leave' });
      refused(await app.put(url(leave.eventId), leave.json), 400, 'M_BAD_JSON');
      refused(await app.put(url(join.eventId), join.json, 'elsewhere.test'), 403, 'M_FORBIDDEN');
      const forged = fillTemplate(tpl, '12', generateSigningKey('forged'));
      refused(await app.put(url(forged.eventId), forged.json), 403, 'M_FORBIDDEN');
      await api().performMembership({ action: 'ban', roomId: r.roomId, sender: ALICE, target: ROB });
      refused(await app.put(url(join.eventId), join.json), 403, 'M_FORBIDDEN');
      assert.equal((await api().queryMembership({ roomId: r.roomId, userId: ROB })).membership, 'ban');
    });
  });

  it('restricted join: authorised by our user, co-signed by us; refused without an allowed room', async () => {
    const space = await createRoom(api(), '12', ALICE);
    const robInSpace = await remoteEvent(api(), space.roomId, env().remoteKey, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
    assert.equal((await api().inputRoomEvents({ inputs: [{ kind: 'new', event: robInSpace.json, roomVersion: '12', origin: REMOTE }] })).results[0]?.accepted, true);
    const restricted = async (allowed: string) => {
      const room = await createRoom(api(), '12', ALICE, '', { joinRule: 'invite' });
      const allow = [{ type: 'm.room_membership', room_id: allowed }];
      await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.join_rules', stateKey: '', sender: ALICE, content: { join_rule: 'restricted', allow } }] });
      return room.roomId;
    };
    const roomId = await restricted(space.roomId);
    await withMembershipApp(api(), async (app) => {
      const tpl = ok(await makeJoin(app, roomId, ROB)).event as JsonObject;
      assert.deepEqual(tpl.content, { membership: 'join', join_authorised_via_users_server: ALICE });
      const join = fillTemplate(tpl, '12', env().remoteKey);
      const res = ok(await app.put(`/_matrix/federation/v2/send_join/${enc(roomId)}/${enc(join.eventId)}`, join.json));
      const signed = res.event as JsonObject;
      assert.deepEqual(Object.keys(signed.signatures as JsonObject).sort(), [REMOTE, SERVER].sort());
      const ours = { serverName: SERVER, keyId: LOCAL_KEY.keyId, publicKey: LOCAL_KEY.publicKeyBase64 };
      assert.equal(verifyEventSignatures(signed, roomVersion('12'), [ours]).ok, true);
      assert.equal((await api().queryMembership({ roomId, userId: ROB })).membership, 'join');
      // Rita is in none of the allowed rooms we hold.
      refused(await makeJoin(app, roomId, RITA), 403, 'M_FORBIDDEN');
      // A room allowing only members of a room we never saw.
      refused(await makeJoin(app, await restricted(`!unknown:${REMOTE}`), ROB), 400, 'M_UNABLE_TO_AUTHORISE_JOIN');
    });
  });

  it('restricted join with no local user able to invite: M_UNABLE_TO_GRANT_JOIN', async () => {
    const space = await createRoom(api(), '12', ALICE);
    const robInSpace = await remoteEvent(api(), space.roomId, env().remoteKey, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
    await api().inputRoomEvents({ inputs: [{ kind: 'new', event: robInSpace.json, roomVersion: '12', origin: REMOTE }] });
    const room = await createRoom(api(), '12', ALICE, '', { joinRule: 'invite' });
    await api().performMembership({ action: 'invite', roomId: room.roomId, sender: ALICE, target: CAROL });
    await api().performJoin({ roomIdOrAlias: room.roomId, userId: CAROL });
    const allow = [{ type: 'm.room_membership', room_id: space.roomId }];
    await api().performSendEvents({
      events: [
        { roomId: room.roomId, type: 'm.room.join_rules', stateKey: '', sender: ALICE, content: { join_rule: 'restricted', allow } },
        // Carol stays, at level 0: below the invite level.
        { roomId: room.roomId, type: 'm.room.power_levels', stateKey: '', sender: ALICE, content: { users: {}, invite: 50 } },
      ],
    });
    await api().performMembership({ action: 'leave', roomId: room.roomId, sender: ALICE, target: ALICE });
    await withMembershipApp(api(), async (app) => {
      refused(await makeJoin(app, room.roomId, ROB), 400, 'M_UNABLE_TO_GRANT_JOIN');
    });
  });

  it('omit_members: no member events in a named room, the auth chain of what remains, servers before the join', async () => {
    const r = await createRoom(api(), '12', ALICE);
    await api().performJoin({ roomIdOrAlias: r.roomId, userId: CAROL });
    const { eventIds } = await api().performSendEvents({ events: [{ roomId: r.roomId, type: 'm.room.name', stateKey: '', sender: ALICE, content: { name: 'Named' } }] });
    await withMembershipApp(api(), async (app) => {
      const join = fillTemplate(ok(await makeJoin(app, r.roomId, ROB)).event as JsonObject, '12', env().remoteKey);
      const res = ok(await app.put(`/_matrix/federation/v2/send_join/${enc(r.roomId)}/${enc(join.eventId)}?omit_members=true`, join.json));
      assert.equal(res.members_omitted, true);
      assert.deepEqual(res.servers_in_room, [SERVER]);
      assert.deepEqual(asSet(res.state), await servedSet(api(), [r.createId, r.powerId, r.joinRulesId, eventIds[0]!]));
      // Alice's join authorises the power levels, the join rules and the name; Carol's nothing kept.
      assert.deepEqual(asSet(res.auth_chain), await servedSet(api(), [r.joinId]));
      assert.equal((await api().queryMembership({ roomId: r.roomId, userId: ROB })).membership, 'join');
    });
  });

  it('omit_members in a room without name or alias keeps the heroes\' member events', async () => {
    const r = await createRoom(api(), '12', ALICE);
    const { eventId: carolJoin } = await api().performJoin({ roomIdOrAlias: r.roomId, userId: CAROL });
    await withMembershipApp(api(), async (app) => {
      const join = fillTemplate(ok(await makeJoin(app, r.roomId, ROB)).event as JsonObject, '12', env().remoteKey);
      const res = ok(await app.put(`/_matrix/federation/v2/send_join/${enc(r.roomId)}/${enc(join.eventId)}?omit_members=true`, join.json));
      assert.deepEqual(asSet(res.state), await servedSet(api(), [r.createId, r.joinId, r.powerId, r.joinRulesId, carolJoin]));
      assert.deepEqual(res.auth_chain, []);
    });
  });
});
