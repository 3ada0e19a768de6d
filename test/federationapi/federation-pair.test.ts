/**
 * Two real Axon servers federating over real HTTPS (`startFederatedPair`): requests signed as A
 * with A's own signing key file reach B's federation listener; B verifies them with A's keys,
 * which its key ring fetched from A over HTTPS (A's metrics count those fetches). Nothing is
 * faked between the two: discovery (IP literal + port), TLS verification against the test CA,
 * the network guard, X-Matrix signing and checking, the userapi and roomserver behind B.
 *
 * No client-facing feature makes A query B yet, so the test builds A's federation client itself
 * from A's config choices and A's key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FederationClient, FederationClientOptions } from '../../src/federationapi/client/federation-client.js';
import { axonVersion } from '../../src/federationapi/routing/version.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { signingKeyFromSeed, type SigningKey } from '../../src/matrix/signing-key.js';
import { verifyJsonSignature } from '../../src/matrix/verify-json.js';
import { loadOrCreateSigningKey } from '../../src/setup/load-signing-key.js';
import { okBody } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair, type FederatedServer } from '../harness/start-federated-pair.js';
import { federationRejection, federationTestClient } from './federation-test-client.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the federated pair tests: ${skip}`);

/** How many `method route` requests `server` answered with `status`, from its /metrics. */
async function requestCount(server: FederatedServer, method: string, route: string, status = '200'): Promise<number> {
  const text = await (await fetch(`${server.clientUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('axon_http_requests_total{')) continue;
    const labels = line.slice(line.indexOf('{'), line.indexOf('}') + 1);
    if (labels.includes(`method="${method}"`) && labels.includes(`route="${route}"`) && labels.includes(`status="${status}"`)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

const KEY_SERVER_ROUTE = '/_matrix/key/v2/server';

describe('two Axon servers federating over HTTPS', { skip }, () => {
  let pair: FederatedPair;
  let aKey: SigningKey;
  const clients: FederationClient[] = [];

  /** A federation client as A builds one from its config, with knobs to break it. */
  const clientOfA = (over: Partial<FederationClientOptions> = {}): FederationClient => {
    const c = federationTestClient(pair, pair.a, over);
    clients.push(c);
    return c;
  };
  const profileOf = (client: FederationClient, userId: string, field?: string): Promise<JsonObject> =>
    client.request({ destination: pair.b.serverName, method: 'GET', path: '/_matrix/federation/v1/query/profile', query: { user_id: userId, field } });

  before(async () => {
    pair = await startFederatedPair();
    aKey = loadOrCreateSigningKey(pair.a.signingKeyPath);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await pair?.stop();
  });

  it('serves the version route over HTTPS on the federation listener', async () => {
    const body = await clientOfA().request({ destination: pair.b.serverName, method: 'GET', path: '/_matrix/federation/v1/version', signed: false });
    assert.deepEqual(body, { server: { name: 'Axon', version: axonVersion() } });
    assert.match(pair.b.federationUrl, /^https:\/\/127\.0\.0\.2:\d+$/);
  });

  it("answers A's profile query with the display name set through B's client API, B having fetched A's keys from A", async () => {
    const bob = await pair.b.client.register('bob');
    okBody(await pair.b.client.call('PUT', `/_matrix/client/v3/profile/${encodeURIComponent(bob.userId)}/displayname`, {
      token: bob.accessToken,
      body: { displayname: 'Bob the Builder' },
    }));
    assert.equal(await requestCount(pair.a, 'GET', KEY_SERVER_ROUTE), 0);
    const client = clientOfA();
    assert.deepEqual(await profileOf(client, bob.userId, 'displayname'), { displayname: 'Bob the Builder' });
    assert.equal(await requestCount(pair.a, 'GET', KEY_SERVER_ROUTE), 1);
    // The key is cached now: a second request costs A nothing.
    assert.deepEqual(await profileOf(client, bob.userId), { displayname: 'Bob the Builder' });
    assert.equal(await requestCount(pair.a, 'GET', KEY_SERVER_ROUTE), 1);
  });

  it("serves A's keys as a notary from what its key ring fetched, signed by A and by B", async () => {
    const answer = await clientOfA().request<{ server_keys: JsonObject[] }>({
      destination: pair.b.serverName,
      method: 'GET',
      path: `/_matrix/key/v2/query/${encodeURIComponent(pair.a.serverName)}`,
      signed: false,
    });
    assert.equal(answer.server_keys.length, 1);
    const keys = answer.server_keys[0]!;
    assert.equal(keys.server_name, pair.a.serverName);
    assert.deepEqual(keys.verify_keys, { [aKey.keyId]: { key: aKey.publicKeyBase64 } });
    assert.deepEqual(verifyJsonSignature(keys, pair.a.serverName, aKey.keyId, aKey.publicKeyBase64), { ok: true });
    const bKey = loadOrCreateSigningKey(pair.b.signingKeyPath);
    assert.deepEqual(verifyJsonSignature(keys, pair.b.serverName, bKey.keyId, bKey.publicKeyBase64), { ok: true });
    // Served from B's store: A was not asked again.
    assert.equal(await requestCount(pair.a, 'GET', KEY_SERVER_ROUTE), 1);
  });

  it('refuses a request signed with a key that is not A\'s: 401 M_UNAUTHORIZED', async () => {
    const bob = `@bob:${pair.b.serverName}`;
    // A's key ID with other key material: the signature check itself must fail.
    const forged = signingKeyFromSeed(randomBytes(32), aKey.version);
    const e1 = await federationRejection(profileOf(clientOfA({ signingKey: forged }), bob));
    assert.deepEqual([e1.kind, e1.status, e1.errcode], ['http', 401, 'M_UNAUTHORIZED']);
    // A key ID A never published.
    const unknown = signingKeyFromSeed(randomBytes(32), 'not_a_key');
    const e2 = await federationRejection(profileOf(clientOfA({ signingKey: unknown }), bob));
    assert.deepEqual([e2.kind, e2.status, e2.errcode], ['http', 401, 'M_UNAUTHORIZED']);
  });

  it('answers 404 M_NOT_FOUND for an unknown user and 400 for a user of another server', async () => {
    const client = clientOfA();
    const missing = await federationRejection(profileOf(client, `@nobody:${pair.b.serverName}`));
    assert.deepEqual([missing.status, missing.errcode], [404, 'M_NOT_FOUND']);
    const foreign = await federationRejection(profileOf(client, `@alice:${pair.a.serverName}`));
    assert.deepEqual([foreign.status, foreign.errcode], [400, 'M_INVALID_PARAM']);
  });

  it('resolves an alias created on B to its room and B', async () => {
    const carol = await pair.b.client.register('carol');
    const created = okBody(await pair.b.client.call('POST', '/_matrix/client/v3/createRoom', { token: carol.accessToken, body: { room_alias_name: 'lobby' } }));
    const alias = `#lobby:${pair.b.serverName}`;
    const client = clientOfA();
    const directory = (roomAlias: string): Promise<JsonObject> =>
      client.request({ destination: pair.b.serverName, method: 'GET', path: '/_matrix/federation/v1/query/directory', query: { room_alias: roomAlias } });
    assert.deepEqual(await directory(alias), { room_id: created.room_id, servers: [pair.b.serverName] });
    const missing = await federationRejection(directory(`#nowhere:${pair.b.serverName}`));
    assert.deepEqual([missing.status, missing.errcode], [404, 'M_NOT_FOUND']);
  });

  it('verifies TLS: a client that does not trust the test CA is refused before sending anything', async () => {
    const before = await requestCount(pair.b, 'GET', '/_matrix/federation/v1/version');
    const e = await federationRejection(clientOfA({ caFile: undefined }).request({ destination: pair.b.serverName, method: 'GET', path: '/_matrix/federation/v1/version', signed: false }));
    assert.equal(e.kind, 'network');
    assert.equal(await requestCount(pair.b, 'GET', '/_matrix/federation/v1/version'), before);
  });
});
