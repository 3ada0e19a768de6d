/**
 * The federation read routes end to end, between two real Axon servers over HTTPS
 * (`startFederatedPair`): rooms created on B through its client API, read over federation.
 *
 * These routes answer only servers with a user joined to the room (Synapse's rule, see
 * `room-read-access.ts`). Federated joins do not exist yet, so A can have nobody in B's rooms:
 * every read A makes is refused with 403, whatever the room's history visibility, while unknown
 * rooms and events are 404. The only server with users in B's rooms is B itself, so the
 * successful reads are made by a client signing as B with B's key file — the same HTTPS,
 * X-Matrix check, routes and roomserver as any other server's request. What a server in the
 * room may not see (redacted history) is covered by `room-read-routes.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FederationClient } from '../../src/federationapi/client/federation-client.js';
import type { JsonObject, JsonValue } from '../../src/matrix/json.js';
import { okBody, type TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair, type FederatedServer } from '../harness/start-federated-pair.js';
import { federationRejection, federationTestClient } from './federation-test-client.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the federation read tests: ${skip}`);

const enc = encodeURIComponent;
const FED = '/_matrix/federation/v1';

/** The refusal of `p`: its HTTP status and errcode. */
async function refusal(p: Promise<unknown>): Promise<[number | undefined, string | undefined]> {
  const e = await federationRejection(p);
  return [e.status, e.errcode];
}

describe('federation reads between two Axon servers', { skip }, () => {
  let pair: FederatedPair;
  let carol: TestUser;
  const clients: FederationClient[] = [];

  /** A federation client signing as `server` with its own key file. */
  const clientAs = (server: FederatedServer): FederationClient => {
    const c = federationTestClient(pair, server);
    clients.push(c);
    return c;
  };
  const get = <T = JsonObject>(c: FederationClient, path: string, query?: Record<string, string | readonly string[]>) =>
    c.request<T>({ destination: pair.b.serverName, method: 'GET', path, query });
  const post = <T = JsonObject>(c: FederationClient, path: string, body: JsonValue) => c.request<T>({ destination: pair.b.serverName, method: 'POST', path, body });

  /** A room on B created by Carol with `history_visibility`, and three messages in it. */
  const roomOnB = async (historyVisibility: string, extraState: JsonObject[] = []) => {
    const created = okBody(await pair.b.client.call('POST', '/_matrix/client/v3/createRoom', {
      token: carol.accessToken,
      body: { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: historyVisibility } }, ...extraState] },
    }));
    const roomId = String(created.room_id);
    const messages: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      const sent = okBody(await pair.b.client.call('PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/${roomId.length}-${body}`, {
        token: carol.accessToken,
        body: { msgtype: 'm.text', body },
      }));
      messages.push(String(sent.event_id));
    }
    return { roomId, messages };
  };

  before(async () => {
    pair = await startFederatedPair();
    carol = await pair.b.client.register('carol');
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await pair?.stop();
  });

  it('serves a server in the room the event, the state before it, auth chains, backfill and missing events', async () => {
    const { roomId, messages } = await roomOnB('shared');
    const [m1, m2, m3] = messages as [string, string, string];
    const b = clientAs(pair.b);

    const event = await get<{ origin: string; origin_server_ts: number; pdus: JsonObject[] }>(b, `${FED}/event/${enc(m3)}`);
    assert.equal(event.origin, pair.b.serverName);
    assert.equal(typeof event.origin_server_ts, 'number');
    assert.equal(event.pdus.length, 1);
    assert.deepEqual([event.pdus[0]!.type, event.pdus[0]!.room_id, event.pdus[0]!.content], ['m.room.message', roomId, { msgtype: 'm.text', body: 'three' }]);
    assert.equal(event.pdus[0]!.event_id, undefined, 'a v3+ PDU carries no event_id');

    const ids = await get<{ pdu_ids: string[]; auth_chain_ids: string[] }>(b, `${FED}/state_ids/${enc(roomId)}`, { event_id: m3 });
    const state = await get<{ pdus: JsonObject[]; auth_chain: JsonObject[] }>(b, `${FED}/state/${enc(roomId)}`, { event_id: m3 });
    assert.equal(state.pdus.length, ids.pdu_ids.length);
    assert.equal(state.auth_chain.length, ids.auth_chain_ids.length);
    const types = state.pdus.map((p) => `${String(p.type)}|${String(p.state_key)}`).sort();
    assert.ok(types.includes('m.room.create|'), types.join());
    assert.ok(types.includes(`m.room.member|${carol.userId}`), types.join());
    assert.ok(types.includes('m.room.history_visibility|'), types.join());
    assert.ok(state.auth_chain.some((p) => p.type === 'm.room.create'));

    const auth = await get<{ auth_chain: JsonObject[] }>(b, `${FED}/event_auth/${enc(roomId)}/${enc(m3)}`);
    assert.deepEqual(new Set(auth.auth_chain.map((p) => p.type)), new Set(['m.room.create', 'm.room.member', 'm.room.power_levels']));

    const back = await get<{ pdus: JsonObject[] }>(b, `${FED}/backfill/${enc(roomId)}`, { v: [m3], limit: '3' });
    assert.deepEqual(back.pdus.map((p) => (p.content as JsonObject).body), ['three', 'two', 'one']);
    const depths = back.pdus.map((p) => p.depth as number);
    assert.deepEqual(depths, [depths[0]!, depths[0]! - 1, depths[0]! - 2]);

    const missing = await post<{ events: JsonObject[] }>(b, `${FED}/get_missing_events/${enc(roomId)}`, { earliest_events: [m1], latest_events: [m3] });
    assert.deepEqual(missing.events.map((p) => (p.content as JsonObject).body), ['two']);
    assert.equal((await get<{ pdus: JsonObject[] }>(b, `${FED}/event/${enc(m2)}`)).pdus[0]!.depth, depths[0]! - 1);
  });

  it('refuses A, which has nobody in the room, with 403 on every route, shared or joined history', async () => {
    const a = clientAs(pair.a);
    for (const visibility of ['shared', 'joined']) {
      const { roomId, messages } = await roomOnB(visibility);
      const [m1, , m3] = messages as [string, string, string];
      const expected = [403, 'M_FORBIDDEN'];
      assert.deepEqual(await refusal(get(a, `${FED}/event/${enc(m3)}`)), expected, visibility);
      assert.deepEqual(await refusal(get(a, `${FED}/state_ids/${enc(roomId)}`, { event_id: m3 })), expected, visibility);
      assert.deepEqual(await refusal(get(a, `${FED}/state/${enc(roomId)}`, { event_id: m3 })), expected, visibility);
      assert.deepEqual(await refusal(get(a, `${FED}/event_auth/${enc(roomId)}/${enc(m3)}`)), expected, visibility);
      assert.deepEqual(await refusal(get(a, `${FED}/backfill/${enc(roomId)}`, { v: [m3], limit: '10' })), expected, visibility);
      assert.deepEqual(await refusal(post(a, `${FED}/get_missing_events/${enc(roomId)}`, { earliest_events: [m1], latest_events: [m3] })), expected, visibility);
    }
  });

  it('refuses a server denied by the room\'s server ACL with 403', async () => {
    const acl = { type: 'm.room.server_acl', state_key: '', content: { allow: ['*'], deny: [pair.a.serverName.split(':')[0]!] } };
    const { roomId, messages } = await roomOnB('shared', [acl]);
    const a = clientAs(pair.a);
    assert.deepEqual(await refusal(get(a, `${FED}/state_ids/${enc(roomId)}`, { event_id: messages[2]! })), [403, 'M_FORBIDDEN']);
    assert.deepEqual(await refusal(get(a, `${FED}/backfill/${enc(roomId)}`, { v: [messages[2]!], limit: '10' })), [403, 'M_FORBIDDEN']);
  });

  it('answers 404 for an unknown room or event', async () => {
    const { roomId, messages } = await roomOnB('shared');
    for (const c of [clientAs(pair.a), clientAs(pair.b)]) {
      assert.deepEqual(await refusal(get(c, `${FED}/event/${enc('$nothing-here')}`)), [404, 'M_NOT_FOUND']);
      assert.deepEqual(await refusal(get(c, `${FED}/state_ids/${enc(`!nowhere:${pair.b.serverName}`)}`, { event_id: messages[0]! })), [404, 'M_NOT_FOUND']);
      assert.deepEqual(await refusal(get(c, `${FED}/backfill/${enc(`!nowhere:${pair.b.serverName}`)}`, { v: [messages[0]!], limit: '5' })), [404, 'M_NOT_FOUND']);
    }
    // B is in the room: an unknown event in it is 404, not 403.
    assert.deepEqual(await refusal(get(clientAs(pair.b), `${FED}/state_ids/${enc(roomId)}`, { event_id: '$nothing-here' })), [404, 'M_NOT_FOUND']);
    assert.deepEqual(await refusal(get(clientAs(pair.b), `${FED}/event_auth/${enc(roomId)}/${enc('$nothing-here')}`)), [404, 'M_NOT_FOUND']);
  });
});
