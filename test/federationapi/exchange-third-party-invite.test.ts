/**
 * `exchange_third_party_invite` over a real roomserver: a partial invite carrying an identity
 * server's signed block becomes a real invite sent by our user when the signature matches the
 * room's `m.room.third_party_invite` for that token; a forged block, a token the room never
 * issued or an inviter of another server change nothing.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { exchangeThirdPartyInviteRoutes } from '../../src/federationapi/routing/exchange-third-party-invite.js';
import { injectAs } from '../../src/federationapi/routing/inject-as.js';
import { testFederationApp } from '../../src/federationapi/routing/test-federation-app.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { signJson } from '../../src/matrix/sign-json.js';
import { generateSigningKey } from '../../src/matrix/signing-key.js';
import { createRoom, describeRoomserverApi, REMOTE, SERVER, uid } from '../roomserver/roomserver-api-kit.js';

const ALICE = uid('alice');
const CAROL = uid('carol');
const IDENTITY = generateSigningKey('0');

describeRoomserverApi('federation exchange_third_party_invite', (api) => {
  it('turns a validly signed third-party invite into an invite; refuses forged, unknown and foreign ones', async () => {
    const room = await createRoom(api(), '11', ALICE, `!tpi:${SERVER}`);
    await api().performSendEvents({
      events: [{ roomId: room.roomId, type: 'm.room.third_party_invite', stateKey: 'tok123', sender: ALICE, content: { display_name: 'c…@example.org', key_validity_url: 'https://id.example.org/_matrix/identity/v2/pubkey/isvalid', public_key: IDENTITY.publicKeyBase64 } }],
    });
    const app = testFederationApp(exchangeThirdPartyInviteRoutes({ serverName: SERVER, thirdPartyRoomserverApi: api(), federationClient: { request: () => Promise.reject(new Error("no federation in this test")) } }));
    const put = (body: JsonObject, origin = REMOTE) => injectAs(app, origin, 'PUT', `/_matrix/federation/v1/exchange_third_party_invite/${encodeURIComponent(room.roomId)}`, body);
    const partial = (signed: JsonObject, sender = ALICE): JsonObject => ({
      type: 'm.room.member',
      room_id: room.roomId,
      sender,
      state_key: CAROL,
      content: { membership: 'invite', third_party_invite: { display_name: 'c…@example.org', signed } },
    });
    try {
      const forged = signJson({ mxid: CAROL, token: 'tok123' }, 'id.example.org', generateSigningKey('0'));
      const refused = await put(partial(forged));
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      const unknownToken = signJson({ mxid: CAROL, token: 'never-issued' }, 'id.example.org', IDENTITY);
      assert.equal((await put(partial(unknownToken))).status, 403);
      const good = signJson({ mxid: CAROL, token: 'tok123' }, 'id.example.org', IDENTITY);
      const foreign = await put(partial(good, uid('mallory', REMOTE)));
      assert.equal(foreign.status, 403);
      assert.match(String(foreign.body.error), /not a user of this server/);
      assert.deepEqual(await api().queryMembership({ roomId: room.roomId, userId: CAROL }), { membership: null, eventId: null });

      const accepted = await put(partial(good));
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      const member = await api().queryMembership({ roomId: room.roomId, userId: CAROL });
      assert.equal(member.membership, 'invite');
      const [invite] = (await api().queryEvents({ eventIds: [member.eventId!] })).events;
      assert.equal(invite?.event.sender, ALICE);
      assert.deepEqual((invite?.event.content as JsonObject).third_party_invite, { display_name: 'c…@example.org', signed: good });
    } finally {
      await app.close();
    }
  });

  it('3pid/onbind exchanges the bound user\'s pending invites (the inviter being ours: performed here)', async () => {
    const room = await createRoom(api(), '11', ALICE, `!onbind:${SERVER}`);
    await api().performSendEvents({
      events: [{ roomId: room.roomId, type: 'm.room.third_party_invite', stateKey: 'tok9', sender: ALICE, content: { display_name: 'c…', key_validity_url: 'https://id.example.org/isvalid', public_key: IDENTITY.publicKeyBase64 } }],
    });
    const app = testFederationApp(exchangeThirdPartyInviteRoutes({ serverName: SERVER, thirdPartyRoomserverApi: api(), federationClient: { request: () => Promise.reject(new Error('no federation in this test')) } }));
    try {
      const signed = signJson({ mxid: CAROL, token: 'tok9' }, 'id.example.org', IDENTITY);
      const bind = { address: 'carol@example.org', medium: 'email', mxid: CAROL, invites: [{ address: 'carol@example.org', medium: 'email', mxid: CAROL, room_id: room.roomId, sender: ALICE, signed }] };
      const res = await app.inject({ method: 'PUT', url: '/_matrix/federation/v1/3pid/onbind', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(bind) });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await api().queryMembership({ roomId: room.roomId, userId: CAROL })).membership, 'invite');
      const other = { ...bind, mxid: uid('dan'), invites: [{ ...bind.invites[0]!, mxid: uid('dan') }] };
      const wrongMxid = await app.inject({ method: 'PUT', url: '/_matrix/federation/v1/3pid/onbind', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(other) });
      // The identity server's signature names carol, not dan: that invite is refused and skipped
      // (one stale invite must not block the others), the request itself succeeds.
      assert.equal(wrongMxid.statusCode, 200, wrongMxid.body);
      assert.equal((await api().queryMembership({ roomId: room.roomId, userId: uid('dan') })).membership, null);
    } finally {
      await app.close();
    }
  });
});
