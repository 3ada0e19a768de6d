/**
 * `timestamp_to_event` between two real Axon servers (`startFederatedPair`): B joins a room of A
 * after a message and fifteen more were sent, so B holds nothing from that message's time; a client of B asking for a
 * time before it gets A's answer (B asks A over federation, fetches the event and places it, so
 * B then serves it too). When A has nothing there, or refuses B, the client gets 404, not 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody, type TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair } from '../harness/start-federated-pair.js';
import { send } from './federated-room-kit.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the federated timestamp_to_event tests: ${skip}`);

const enc = encodeURIComponent;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many `timestamp_to_event` requests A answered with `status`, from its /metrics. */
async function answeredByA(pair: FederatedPair, status: number): Promise<number> {
  const text = await (await fetch(`${pair.a.clientUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('axon_http_requests_total{') && l.includes('route="/_matrix/federation/v1/timestamp_to_event/:roomId"') && l.includes(`status="${status}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('timestamp_to_event between two federating Axon servers', { skip, timeout: 120_000 }, () => {
  let pair: FederatedPair;
  let alice: TestUser; // on A
  let bob: TestUser; // on B
  let roomId: string;
  let early: string;
  let earlyTs: number;

  before(async () => {
    pair = await startFederatedPair();
    alice = await pair.a.client.register('alice');
    bob = await pair.b.client.register('bob');
    roomId = okBody(await pair.a.client.call('POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body: { preset: 'public_chat' } })).room_id as string;
    await pause(5);
    early = await send(pair.a, alice, roomId, 'early');
    earlyTs = okBody(await pair.a.client.call('GET', `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(early)}`, { token: alice.accessToken })).origin_server_ts as number;
    // B's join reaches B again in A's /send, sometimes before B placed it; B then fills the gap
    // below it with /get_missing_events (10 events). More than that keeps `early` out of reach.
    for (let i = 0; i < 15; i++) await send(pair.a, alice, roomId, `filler ${i}`);
    const joined = await pair.b.client.call('POST', `/_matrix/client/v3/join/${enc(roomId)}?server_name=${enc(pair.a.serverName)}`, { token: bob.accessToken, body: {} });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
  });
  after(async () => {
    await pair?.stop();
  });

  const askB = (ts: number, dir: 'f' | 'b') => pair.b.client.call('GET', `/_matrix/client/v1/rooms/${enc(roomId)}/timestamp_to_event?ts=${ts}&dir=${dir}`, { token: bob.accessToken });

  it("answers a time before B's join with A's event, which B then holds and serves", async () => {
    // B cannot serve the event yet: it was sent before B joined.
    assert.equal((await pair.b.client.call('GET', `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(early)}`, { token: bob.accessToken })).status, 404);
    const res = await askB(earlyTs, 'b');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { event_id: early, origin_server_ts: earlyTs });
    assert.equal(await answeredByA(pair, 200), 1, 'B asked A');
    const served = okBody(await pair.b.client.call('GET', `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(early)}`, { token: bob.accessToken }));
    assert.deepEqual([served.event_id, served.sender, served.content], [early, alice.userId, { msgtype: 'm.text', body: 'early' }]);
  });

  it('answers 404 when A has nothing there either, and when A refuses B', async () => {
    const none = await askB(1, 'b');
    assert.equal(none.status, 404, JSON.stringify(none.body));
    assert.deepEqual(none.body, { errcode: 'M_NOT_FOUND', error: 'Unable to find event from 1 in backward direction' });

    // A's ACL shuts B out: A answers B 403; B's client still gets a 404.
    const bHost = pair.b.serverName.replace(/:\d+$/, '');
    const acl = await pair.a.client.call('PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.server_acl/`, { token: alice.accessToken, body: { allow: ['*'], deny: [bHost] } });
    assert.equal(acl.status, 200, JSON.stringify(acl.body));
    const refused = await askB(earlyTs - 1, 'b');
    assert.equal(refused.status, 404, JSON.stringify(refused.body));
    assert.equal(refused.body.errcode, 'M_NOT_FOUND');
    assert.deepEqual([await answeredByA(pair, 404), await answeredByA(pair, 403)], [1, 1]);
  });
});
