/**
 * E2EE keys and device lists across two real Axon servers (`startFederatedPair`): B's user
 * queries and claims keys of A's user (through B's federationapi and A's `/user/keys/*`); A's
 * user's key changes travel as `m.device_list_update` / `m.signing_key_update` EDUs, B applies
 * them to its cache of A's user's device list and lists the user in `device_lists.changed` of
 * its user's sync and in `/keys/changes`; an update that follows the cached one is applied from
 * the EDU alone, one with a gap makes B resync from A's `/user/devices`; a leave shows in `left`.
 * Inbound EDUs are also sent by a test client signing as A.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FederationClient } from '../../src/federationapi/client/federation-client.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { okBody, type TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair, type FederatedServer } from '../harness/start-federated-pair.js';
import { crossSigningSet, deviceKeysFor, newKey } from '../userapi/keys-test-kit.js';
import { eventually, membership } from './federated-room-kit.js';
import { federationRejection, federationTestClient } from './federation-test-client.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the device list federation tests: ${skip}`);

const V3 = '/_matrix/client/v3';
const DEVICES_ROUTE = '/_matrix/federation/v1/user/devices/:userId';

/** How many `method route` requests `server` answered with 200, from its /metrics. */
async function requestCount(server: FederatedServer, method: string, route: string): Promise<number> {
  const text = await (await fetch(`${server.clientUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('axon_http_requests_total{')) continue;
    const labels = line.slice(line.indexOf('{'), line.indexOf('}') + 1);
    if (labels.includes(`method="${method}"`) && labels.includes(`route="${route}"`) && labels.includes('status="200"')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

interface DeviceLists {
  changed: string[];
  left: string[];
}

describe('device lists and keys between two Axon servers', { skip, timeout: 180_000 }, () => {
  let pair: FederatedPair;
  let alice: TestUser; // on A
  let bob: TestUser; // on B
  let roomId: string;
  let client: FederationClient; // signs as A
  const aliceKey = newKey();
  let aliceKeys: JsonObject;
  const otk: JsonObject = { key: 'b3RrLW9uZQ' };

  const post = (server: FederatedServer, u: TestUser, path: string, body: unknown) => server.client.call('POST', `${V3}${path}`, { token: u.accessToken, body });
  const sync = async (server: FederatedServer, u: TestUser, since?: string): Promise<{ next_batch: string; device_lists: DeviceLists }> => {
    const qs = new URLSearchParams({ timeout: '0', ...(since === undefined ? {} : { since }) });
    return okBody(await server.client.call('GET', `${V3}/sync?${qs}`, { token: u.accessToken })) as unknown as { next_batch: string; device_lists: DeviceLists };
  };
  const queryKeys = async (u: TestUser, userId: string) => okBody(await post(pair.b, u, '/keys/query', { device_keys: { [userId]: [] } }));
  const bobSeesDevices = (deviceIds: string[]) =>
    eventually(`bob sees alice's devices ${deviceIds.join(',')}`, async () => {
      const q = await queryKeys(bob, alice.userId);
      const got = Object.keys((q.device_keys as Record<string, JsonObject>)[alice.userId] ?? {}).sort();
      return JSON.stringify(got) === JSON.stringify([...deviceIds].sort()) ? q : undefined;
    });
  let txn = 0;
  const sendEdus = (edus: JsonObject[]) =>
    client.request({
      destination: pair.b.serverName,
      method: 'PUT',
      path: `/_matrix/federation/v1/send/dl-${Date.now()}-${++txn}`,
      body: { origin: pair.a.serverName, origin_server_ts: Date.now(), pdus: [], edus },
    });

  before(async () => {
    pair = await startFederatedPair();
    alice = await pair.a.client.register('alice');
    bob = await pair.b.client.register('bob');
    client = federationTestClient(pair, pair.a);
    aliceKeys = deviceKeysFor(alice.userId, alice.deviceId, aliceKey);
    okBody(await post(pair.a, alice, '/keys/upload', { device_keys: aliceKeys, one_time_keys: { 'signed_curve25519:AAAA': otk } }));
    roomId = okBody(await post(pair.a, alice, '/createRoom', { preset: 'public_chat' })).room_id as string;
    const joined = await pair.b.client.call('POST', `${V3}/join/${encodeURIComponent(roomId)}?server_name=${encodeURIComponent(pair.a.serverName)}`, { token: bob.accessToken, body: {} });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    await eventually('A sees bob joined', async () => ((await membership(pair.a, alice, roomId, bob.userId)) === 'join' ? true : undefined));
  });
  after(async () => {
    await client?.close();
    await pair?.stop();
  });

  it("serves a local user's device list, keys and claims over federation, and nobody else's", async () => {
    const list = await client.request<JsonObject>({ destination: pair.a.serverName, method: 'GET', path: `/_matrix/federation/v1/user/devices/${encodeURIComponent(alice.userId)}` });
    assert.equal(list.user_id, alice.userId);
    assert.equal(typeof list.stream_id, 'number');
    assert.ok((list.stream_id as number) > 0);
    const devices = list.devices as JsonObject[];
    assert.equal(devices.length, 1);
    assert.equal(devices[0]!.device_id, alice.deviceId);
    assert.deepEqual(devices[0]!.keys, aliceKeys);
    const foreign = await federationRejection(client.request({ destination: pair.a.serverName, method: 'GET', path: `/_matrix/federation/v1/user/devices/${encodeURIComponent(bob.userId)}` }));
    assert.equal(foreign.status, 400);
    const q = await client.request<JsonObject>({ destination: pair.a.serverName, method: 'POST', path: '/_matrix/federation/v1/user/keys/query', body: { device_keys: { [alice.userId]: [], [bob.userId]: [] } } });
    assert.deepEqual(Object.keys(q.device_keys as JsonObject), [alice.userId], 'only local users are answered');
    const served = (q.device_keys as Record<string, Record<string, JsonObject>>)[alice.userId]![alice.deviceId]!;
    assert.deepEqual({ ...served, unsigned: undefined }, { ...aliceKeys, unsigned: undefined });
  });

  it("lets B's user query A's user's keys and claim a one-time key through A", async () => {
    const q = await queryKeys(bob, alice.userId);
    assert.deepEqual(q.failures, {});
    const got = (q.device_keys as Record<string, Record<string, JsonObject>>)[alice.userId]![alice.deviceId]!;
    assert.deepEqual(got.keys, aliceKeys.keys);
    assert.deepEqual(got.signatures, aliceKeys.signatures);
    const claim = () => post(pair.b, bob, '/keys/claim', { one_time_keys: { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } } });
    const first = okBody(await claim());
    assert.deepEqual(first.failures, {});
    assert.deepEqual(first.one_time_keys, { [alice.userId]: { [alice.deviceId]: { 'signed_curve25519:AAAA': otk } } });
    const second = okBody(await claim());
    assert.deepEqual(second.one_time_keys, {}, 'the key was used up on A');
  });

  it('reports an unreachable server in failures', async () => {
    const q = okBody(await post(pair.b, bob, '/keys/query', { device_keys: { '@x:127.0.0.9:1': [] }, timeout: 2000 }));
    assert.deepEqual(q.failures, { '127.0.0.9:1': {} });
  });

  let sinceNewDevice = '';
  it("lists A's user in B's user's device_lists.changed after a new device, and serves its keys", async () => {
    const start = (await sync(pair.b, bob)).next_batch;
    sinceNewDevice = start;
    const resyncsBefore = await requestCount(pair.a, 'GET', DEVICES_ROUTE);
    const second = await pair.a.client.login('alice', alice.password);
    const key2 = newKey();
    okBody(await post(pair.a, second, '/keys/upload', { device_keys: deviceKeysFor(alice.userId, second.deviceId, key2) }));
    const lists = await eventually('alice in changed', async () => {
      const s = await sync(pair.b, bob, start);
      return s.device_lists.changed.includes(alice.userId) ? s.device_lists : undefined;
    });
    assert.deepEqual(lists, { changed: [alice.userId], left: [] });
    const q = await bobSeesDevices([alice.deviceId, second.deviceId]);
    const k2 = (q.device_keys as Record<string, Record<string, JsonObject>>)[alice.userId]![second.deviceId]!;
    assert.deepEqual(k2.keys, { [`curve25519:${second.deviceId}`]: `curve-${second.deviceId}`, [`ed25519:${second.deviceId}`]: key2.publicKeyBase64 });
    // B tracked nobody for alice: the first update is a gap, filled from A's /user/devices.
    assert.equal(await requestCount(pair.a, 'GET', DEVICES_ROUTE), resyncsBefore + 1);
  });

  it('answers /keys/changes between two sync tokens', async () => {
    const now = (await sync(pair.b, bob)).next_batch;
    const res = okBody(await pair.b.client.call('GET', `${V3}/keys/changes?from=${encodeURIComponent(sinceNewDevice)}&to=${encodeURIComponent(now)}`, { token: bob.accessToken }));
    assert.deepEqual(res, { changed: [alice.userId], left: [] });
    const none = okBody(await pair.b.client.call('GET', `${V3}/keys/changes?from=${encodeURIComponent(now)}&to=${encodeURIComponent(now)}`, { token: bob.accessToken }));
    assert.deepEqual(none, { changed: [], left: [] });
  });

  it('carries cross-signing key changes as m.signing_key_update', async () => {
    const start = (await sync(pair.b, bob)).next_batch;
    const cs = crossSigningSet(alice.userId);
    okBody(await post(pair.a, alice, '/keys/device_signing/upload', { master_key: cs.master, self_signing_key: cs.selfSigning, user_signing_key: cs.userSigning }));
    await eventually('alice changed again', async () => ((await sync(pair.b, bob, start)).device_lists.changed.includes(alice.userId) ? true : undefined));
    const q = await eventually('master key on B', async () => {
      const r = await queryKeys(bob, alice.userId);
      return (r.master_keys as Record<string, JsonObject>)[alice.userId] ? r : undefined;
    });
    assert.deepEqual((q.master_keys as Record<string, JsonObject>)[alice.userId]!.keys, cs.master.keys);
    assert.deepEqual((q.self_signing_keys as Record<string, JsonObject>)[alice.userId]!.keys, cs.selfSigning.keys);
    assert.equal(q.user_signing_keys && (q.user_signing_keys as JsonObject)[alice.userId], undefined);
  });

  it('resyncs from /user/devices after a gap, and applies an update following the cached one from the EDU alone', async () => {
    const list = await client.request<JsonObject>({ destination: pair.a.serverName, method: 'GET', path: `/_matrix/federation/v1/user/devices/${encodeURIComponent(alice.userId)}` });
    const streamId = list.stream_id as number;
    const realDevices = (list.devices as JsonObject[]).map((d) => d.device_id as string);
    await bobSeesDevices(realDevices);
    const resyncsBefore = await requestCount(pair.a, 'GET', DEVICES_ROUTE);
    // A gap (B holds no update 200): B fetches A's real list, so the device A never had is not listed.
    await sendEdus([{ edu_type: 'm.device_list_update', content: { user_id: alice.userId, device_id: 'FAKEDEV2', stream_id: streamId + 300, prev_id: [streamId + 200], keys: deviceKeysFor(alice.userId, 'FAKEDEV2', newKey()) } }]);
    await eventually('B resynced', async () => ((await requestCount(pair.a, 'GET', DEVICES_ROUTE)) === resyncsBefore + 1 ? true : undefined));
    await bobSeesDevices(realDevices);
    // In sequence after the snapshot: applied from the EDU alone. The device is not on A, so
    // B can only list it from its cache.
    await sendEdus([{ edu_type: 'm.device_list_update', content: { user_id: alice.userId, device_id: 'FAKEDEV', stream_id: streamId + 100, prev_id: [streamId], keys: deviceKeysFor(alice.userId, 'FAKEDEV', newKey()) } }]);
    await bobSeesDevices([...realDevices, 'FAKEDEV']);
    // A user of another server in an EDU from A is ignored.
    await sendEdus([{ edu_type: 'm.device_list_update', content: { user_id: bob.userId, device_id: 'X', stream_id: 5, prev_id: [] } }]);
    // Deleting the device, in sequence again.
    await sendEdus([{ edu_type: 'm.device_list_update', content: { user_id: alice.userId, device_id: 'FAKEDEV', stream_id: streamId + 101, prev_id: [streamId + 100], deleted: true } }]);
    await bobSeesDevices(realDevices);
    assert.equal(await requestCount(pair.a, 'GET', DEVICES_ROUTE), resyncsBefore + 1, 'no resync for updates in sequence');
  });

  it("lists A's user in left once they share no room with B's user", async () => {
    const start = (await sync(pair.b, bob)).next_batch;
    okBody(await post(pair.a, alice, `/rooms/${encodeURIComponent(roomId)}/leave`, {}));
    const lists = await eventually('alice in left', async () => {
      const s = await sync(pair.b, bob, start);
      return s.device_lists.left.length > 0 ? s.device_lists : undefined;
    });
    assert.deepEqual(lists, { changed: [], left: [alice.userId] });
    const now = (await sync(pair.b, bob)).next_batch;
    const res = okBody(await pair.b.client.call('GET', `${V3}/keys/changes?from=${encodeURIComponent(start)}&to=${encodeURIComponent(now)}`, { token: bob.accessToken }));
    assert.deepEqual(res.left, [alice.userId]);
  });
});
