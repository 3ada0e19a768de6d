/**
 * `PUT /invite` v2 and v1 over a real roomserver: an invite from `remote.test` for one of our
 * users is co-signed by us, and becomes visible as the invitee's membership (and in the
 * `OutputRoomEvent` that feeds sync, with its stripped state) when we do not hold the room; it
 * is stored as an outlier when we are in the room. Refusals: a non-local invitee, a sender of
 * another server, an unknown room version, a mismatched ID, a forged signature, not an invite.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildEvent } from '../../src/matrix/build-event.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { generateSigningKey, type SigningKey } from '../../src/matrix/signing-key.js';
import { verifyEventSignatures } from '../../src/matrix/verify-event.js';
import { createRoom, describeRoomserverApi, LOCAL_KEY, REMOTE, remoteEvent, SERVER, uid } from '../roomserver/roomserver-api-kit.js';
import { enc, ok, refused, withMembershipApp } from './membership-test-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob');
const CAROL = uid('carol');
const DAVE = uid('dave');
const ROB = uid('rob', REMOTE);
const ELSEWHERE = `!elsewhere:${REMOTE}`;
const STRIPPED: JsonObject[] = [
  { type: 'm.room.create', state_key: '', sender: ROB, content: { room_version: '11' } },
  { type: 'm.room.name', state_key: '', sender: ROB, content: { name: 'Over there' } },
];

/** An invite as remote.test builds it in a room we do not hold. */
function remoteInvite(key: SigningKey, target: string, opts: { membership?: string; sender?: string } = {}): RoomEvent {
  return buildEvent(
    {
      type: 'm.room.member',
      state_key: target,
      sender: opts.sender ?? ROB,
      content: { membership: opts.membership ?? 'invite' },
      room_id: ELSEWHERE,
      prev_events: [`$${'p'.repeat(43)}`],
      auth_events: [`$${'a'.repeat(43)}`, `$${'b'.repeat(43)}`],
      depth: 7,
      origin_server_ts: 1_700_000_000_000,
    },
    roomVersion('11'),
    { serverName: REMOTE, key },
  );
}

const v2url = (ev: RoomEvent) => `/_matrix/federation/v2/invite/${enc(ev.roomId)}/${enc(ev.eventId)}`;
const ours = { serverName: SERVER, keyId: LOCAL_KEY.keyId, publicKey: LOCAL_KEY.publicKeyBase64 };

describeRoomserverApi('federation invite', (api, env) => {
  it('v2: an invite to a room we never saw is co-signed and becomes the invitee\'s membership', async () => {
    const invite = remoteInvite(env().remoteKey, BOB);
    await withMembershipApp(api(), async (app) => {
      const res = ok(await app.put(v2url(invite), { room_version: '11', event: invite.json, invite_room_state: STRIPPED }));
      const signed = res.event as JsonObject;
      assert.deepEqual(Object.keys(signed.signatures as JsonObject).sort(), [REMOTE, SERVER].sort());
      assert.equal(verifyEventSignatures(signed, roomVersion('11'), [ours]).ok, true);
      assert.deepEqual({ ...signed, signatures: invite.json.signatures }, invite.json, 'only our signature was added');
      assert.deepEqual(await api().queryMembership({ roomId: ELSEWHERE, userId: BOB }), { membership: 'invite', eventId: invite.eventId });
      assert.deepEqual((await api().queryRoomsForUser({ userId: BOB, membership: 'invite' })).roomIds, [ELSEWHERE]);
      // The room has the invite as its state but no head: nothing is ever built on it.
      const info = await api().queryRoomInfo({ roomId: ELSEWHERE });
      assert.deepEqual([info.exists, info.roomVersion, info.latestEventIds], [true, '11', []]);
      assert.equal((await app.get(`/_matrix/federation/v1/make_join/${enc(ELSEWHERE)}/${enc(ROB)}?ver=11`)).status, 404);
    });
    await env().waitForPublished((ms) => ms.some((m) => m.type === 'new_room_event' && m.eventId === invite.eventId));
    const out = env().published.find((m) => m.type === 'new_room_event' && m.eventId === invite.eventId);
    assert.ok(out?.type === 'new_room_event');
    assert.deepEqual((out.event.unsigned as JsonObject).invite_room_state, STRIPPED);
    assert.deepEqual(out.addsStateEventIds, [invite.eventId]);
    assert.deepEqual(out.latestEventIds, []);
  });

  it('v1: the event carries its stripped state; a second invitee to the same room keeps the first invited', async () => {
    const first = remoteInvite(env().remoteKey, BOB);
    const second = remoteInvite(env().remoteKey, CAROL);
    await withMembershipApp(api(), async (app) => {
      ok(await app.put(v2url(first), { room_version: '11', event: first.json, invite_room_state: STRIPPED }));
      const body = { ...second.json, unsigned: { invite_room_state: STRIPPED } };
      const res = await app.put(`/_matrix/federation/v1/invite/${enc(ELSEWHERE)}/${enc(second.eventId)}`, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const [code, answer] = res.body as unknown as [number, { event: JsonObject }];
      assert.equal(code, 200);
      assert.equal(verifyEventSignatures(answer.event, roomVersion('11'), [ours]).ok, true);
      assert.deepEqual((answer.event.unsigned as JsonObject).invite_room_state, STRIPPED);
    });
    assert.equal((await api().queryMembership({ roomId: ELSEWHERE, userId: CAROL })).membership, 'invite');
    assert.equal((await api().queryMembership({ roomId: ELSEWHERE, userId: BOB })).membership, 'invite');
  });

  it('an invite into a room where our users are joined is stored as an outlier', async () => {
    const r = await createRoom(api(), '12', ALICE);
    const join = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
    await api().inputRoomEvents({ inputs: [{ kind: 'new', event: join.json, roomVersion: '12', origin: REMOTE }] });
    const invite = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.member', stateKey: BOB, sender: ROB, content: { membership: 'invite' } });
    await withMembershipApp(api(), async (app) => {
      ok(await app.put(v2url(invite), { room_version: '12', event: invite.json, invite_room_state: [] }));
    });
    const [stored] = (await api().queryEvents({ eventIds: [invite.eventId] })).events;
    assert.equal(stored?.outlier, true);
    assert.equal((await api().queryMembership({ roomId: r.roomId, userId: BOB })).membership, null);
  });

  it('refusals: non-local invitee, wrong origin, unknown version, mismatched ID, forged signature, not an invite', async () => {
    await withMembershipApp(api(), async (app) => {
      const put = (ev: RoomEvent, version = '11', origin?: string) => app.put(v2url(ev), { room_version: version, event: ev.json, invite_room_state: [] }, origin);
      refused(await put(remoteInvite(env().remoteKey, uid('someone', 'elsewhere.test'))), 400, 'M_INVALID_PARAM');
      refused(await put(remoteInvite(env().remoteKey, DAVE), '11', 'elsewhere.test'), 403, 'M_FORBIDDEN');
      const unknown = await put(remoteInvite(env().remoteKey, DAVE), '99');
      refused(unknown, 400, 'M_INCOMPATIBLE_ROOM_VERSION');
      assert.equal(unknown.body.room_version, '99');
      const ev = remoteInvite(env().remoteKey, DAVE);
      refused(await app.put(`/_matrix/federation/v2/invite/${enc(ELSEWHERE)}/${enc('$other')}`, { room_version: '11', event: ev.json }), 400, 'M_BAD_JSON');
      refused(await put(remoteInvite(generateSigningKey('forged'), DAVE)), 403, 'M_FORBIDDEN');
      refused(await put(remoteInvite(env().remoteKey, DAVE, { membership: 'join' })), 400, 'M_BAD_JSON');
    });
    assert.equal((await api().queryMembership({ roomId: ELSEWHERE, userId: DAVE })).membership, null, 'no refused invite was stored');
  });
});
