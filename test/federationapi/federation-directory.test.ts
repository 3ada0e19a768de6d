/**
 * The federation read routes of the directory family between two real Axon servers over HTTPS
 * (`startFederatedPair`): A reads B's published rooms (`/publicRooms`) and the hierarchy of a
 * space on B (`/hierarchy`), and a third party checks a B user's OpenID token at B's
 * `/openid/userinfo`. Everything on B is set up through its client API; A's side is a federation
 * client built from A's config choices and key (`federationTestClient`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FederationClient } from '../../src/federationapi/client/federation-client.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { okBody, type TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair } from '../harness/start-federated-pair.js';
import { federationRejection, federationTestClient } from './federation-test-client.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the federated directory tests: ${skip}`);

describe('federation directory routes between two Axon servers', { skip }, () => {
  let pair: FederatedPair;
  let client: FederationClient;
  let bob: TestUser;

  const onB = (method: 'GET' | 'POST', path: string, extra: { query?: Record<string, string | number | boolean>; body?: JsonObject; signed?: boolean } = {}): Promise<JsonObject> =>
    client.request({ destination: pair.b.serverName, method, path, ...extra });
  const bCall = (method: string, path: string, body?: unknown) => pair.b.client.call(method, `/_matrix/client/v3${path}`, { token: bob.accessToken, body });
  const createRoom = async (body: Record<string, unknown>): Promise<string> => String(okBody(await bCall('POST', '/createRoom', body)).room_id);

  before(async () => {
    pair = await startFederatedPair();
    client = federationTestClient(pair, pair.a);
    bob = await pair.b.client.register('bob');
  });
  after(async () => {
    await client?.close();
    await pair?.stop();
  });

  it("reads B's published rooms with their exact fields, and pages through them with since", async () => {
    const lobby = await createRoom({ visibility: 'public', preset: 'public_chat', name: 'Lobby', topic: 'Say hi', room_alias_name: 'lobby' });
    const second = await createRoom({ visibility: 'public', preset: 'public_chat', name: 'Second' });
    await createRoom({ preset: 'private_chat', name: 'Not listed' });
    const all = await onB('GET', '/_matrix/federation/v1/publicRooms');
    assert.equal(all.total_room_count_estimate, 2);
    const chunk = all.chunk as JsonObject[];
    assert.deepEqual(chunk.find((c) => c.room_id === lobby), {
      room_id: lobby,
      num_joined_members: 1,
      world_readable: false,
      guest_can_join: false,
      name: 'Lobby',
      topic: 'Say hi',
      canonical_alias: `#lobby:${pair.b.serverName}`,
      join_rule: 'public',
    });
    // Equal member counts: ordered by room ID.
    const order = [lobby, second].sort();
    assert.deepEqual(chunk.map((c) => c.room_id), order);
    const p1 = await onB('GET', '/_matrix/federation/v1/publicRooms', { query: { limit: 1 } });
    assert.deepEqual((p1.chunk as JsonObject[]).map((c) => c.room_id), [order[0]]);
    assert.equal(typeof p1.next_batch, 'string');
    const p2 = await onB('POST', '/_matrix/federation/v1/publicRooms', { body: { limit: 1, since: String(p1.next_batch) } });
    assert.deepEqual((p2.chunk as JsonObject[]).map((c) => c.room_id), [order[1]]);
    assert.equal(p2.next_batch, undefined);
    const searched = await onB('POST', '/_matrix/federation/v1/publicRooms', { body: { filter: { generic_search_term: 'say HI' } } });
    assert.deepEqual((searched.chunk as JsonObject[]).map((c) => c.room_id), [lobby]);
  });

  it('refuses an unsigned request for the published rooms', async () => {
    const e = await federationRejection(onB('GET', '/_matrix/federation/v1/publicRooms', { signed: false }));
    assert.deepEqual([e.status, e.errcode], [401, 'M_UNAUTHORIZED']);
  });

  it("reads the hierarchy of a space on B: the space, the child A may see, the one it may not", async () => {
    const space = await createRoom({ preset: 'public_chat', name: 'Space', creation_content: { type: 'm.space' } });
    const open = await createRoom({ preset: 'public_chat', name: 'Open child' });
    const closed = await createRoom({ preset: 'private_chat', name: 'Closed child' });
    const via = [pair.b.serverName];
    for (const [child, content] of [[open, { via, suggested: true }], [closed, { via }]] as const) {
      okBody(await bCall('PUT', `/rooms/${encodeURIComponent(space)}/state/m.space.child/${encodeURIComponent(child)}`, content));
    }
    const res = await onB('GET', `/_matrix/federation/v1/hierarchy/${encodeURIComponent(space)}`);
    const room = res.room as JsonObject;
    assert.equal(room.room_id, space);
    assert.equal(room.room_type, 'm.space');
    assert.equal(room.name, 'Space');
    assert.equal(room.join_rule, 'public');
    assert.equal(typeof room.room_version, 'string');
    const childrenState = room.children_state as JsonObject[];
    assert.deepEqual(childrenState.map((c) => [c.type, c.state_key, c.sender, c.content]).sort(), [
      ['m.space.child', closed, bob.userId, { via }],
      ['m.space.child', open, bob.userId, { via, suggested: true }],
    ].sort());
    assert.ok(childrenState.every((c) => typeof c.origin_server_ts === 'number'));
    assert.deepEqual(res.children, [
      { room_id: open, num_joined_members: 1, world_readable: false, guest_can_join: false, name: 'Open child', join_rule: 'public', room_version: room.room_version, children_state: [] },
    ]);
    assert.deepEqual(res.inaccessible_children, [closed]);
    const suggested = await onB('GET', `/_matrix/federation/v1/hierarchy/${encodeURIComponent(space)}`, { query: { suggested_only: true } });
    assert.deepEqual(((suggested.room as JsonObject).children_state as JsonObject[]).map((c) => c.state_key), [open]);
    assert.deepEqual(suggested.inaccessible_children, []);
    // A room A's server may neither peek nor join is unknown to it.
    const e = await federationRejection(onB('GET', `/_matrix/federation/v1/hierarchy/${encodeURIComponent(closed)}`));
    assert.deepEqual([e.status, e.errcode], [404, 'M_NOT_FOUND']);
  });

  it("answers a third party who a B user's OpenID token belongs to, without a signature", async () => {
    const issued = okBody(await bCall('POST', `/user/${encodeURIComponent(bob.userId)}/openid/request_token`, {}));
    assert.equal(issued.matrix_server_name, pair.b.serverName);
    assert.equal(issued.token_type, 'Bearer');
    const info = await onB('GET', '/_matrix/federation/v1/openid/userinfo', { query: { access_token: String(issued.access_token) }, signed: false });
    assert.deepEqual(info, { sub: bob.userId });
    const e = await federationRejection(onB('GET', '/_matrix/federation/v1/openid/userinfo', { query: { access_token: 'axo_not-a-token' }, signed: false }));
    assert.deepEqual([e.status, e.errcode], [401, 'M_UNKNOWN_TOKEN']);
    // Bob's access token is not an OpenID token.
    const e2 = await federationRejection(onB('GET', '/_matrix/federation/v1/openid/userinfo', { query: { access_token: bob.accessToken }, signed: false }));
    assert.deepEqual([e2.status, e2.errcode], [401, 'M_UNKNOWN_TOKEN']);
  });
});
