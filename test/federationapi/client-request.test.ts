/**
 * The federation client end to end over real TLS on 127.0.0.1: certificate verification, SNI and
 * Host per discovery step, the network guard, X-Matrix signatures, error mapping, limits, keys.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFederationClient, type FederationClient, type FederationClientOptions } from '../../src/federationapi/client/federation-client.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { generateSigningKey } from '../../src/matrix/signing-key.js';
import { verifyJsonSignature } from '../../src/matrix/verify-json.js';
import { createTestPki, opensslUnavailableReason, startHttpsServer, startTestDns, type SeenRequest, type TestDns, type TestHttpsServer, type TestPki } from './client-test-kit.js';
import { federationRejection } from './federation-test-client.js';

const skip = opensslUnavailableReason();
if (skip) console.log(`# skipping federation client tests: ${skip}`);

const key = generateSigningKey('k1');
const LOOPBACK_DENIED = ['127.0.0.0/8', '::1/128'];

function parseAuth(header: string | undefined): Record<string, string> {
  if (header === undefined || !header.startsWith('X-Matrix ')) assert.fail(`X-Matrix header expected, got ${String(header)}`);
  return Object.fromEntries([...header.slice(9).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

function assertSigned(req: SeenRequest, destination: string, content?: JsonObject): void {
  const auth = parseAuth(req.authorization);
  assert.equal(auth.origin, 'origin.test');
  assert.equal(auth.destination, destination);
  assert.equal(auth.key, 'ed25519:k1');
  const signed: JsonObject = { method: req.method, uri: req.url, origin: 'origin.test', destination, signatures: { 'origin.test': { 'ed25519:k1': auth.sig ?? '' } } };
  if (content !== undefined) signed.content = content;
  assert.deepEqual(verifyJsonSignature(signed, 'origin.test', 'ed25519:k1', key.publicKeyBase64), { ok: true });
}

describe('createFederationClient over real TLS', { skip }, () => {
  let pki: TestPki;
  let dns: TestDns;
  let server: TestHttpsServer;
  let rogue: TestHttpsServer;
  const clients: FederationClient[] = [];

  const client = (over: Partial<FederationClientOptions> = {}): FederationClient => {
    const c = createFederationClient({
      serverName: 'origin.test',
      signingKey: key,
      tlsVerify: true,
      caFile: pki.caFile,
      allowNetworks: ['127.0.0.0/8'],
      denyNetworks: LOOPBACK_DENIED,
      resolver: dns.resolver,
      userAgent: 'Axon/test',
      wellKnownPort: server.port,
      ...over,
    });
    clients.push(c);
    return c;
  };

  before(async () => {
    pki = createTestPki(['fed.test', 'wk.test', 'delegated.test', 'srv.test'], ['127.0.0.1']);
    server = await startHttpsServer(pki.leaf, (req) => {
      const path = req.url.split('?')[0];
      switch (path) {
        case '/.well-known/matrix/server':
          return req.host === `wk.test:${server.port}` ? { status: 200, body: { 'm.server': `delegated.test:${server.port}` } } : { status: 404 };
        case '/_matrix/federation/v1/version':
          return { status: 200, body: { server: { name: 'test' } } };
        case '/_matrix/federation/v1/echo':
          return { status: 200, body: { got: req.body } };
        case '/forbidden':
          return { status: 403, body: { errcode: 'M_FORBIDDEN', error: 'nope' } };
        case '/gateway':
          return { status: 502, body: '<html>bad gateway</html>' };
        case '/notjson':
          return { status: 200, body: 'hello' };
        case '/hang':
          return { status: 200, hang: true };
        case '/big':
          return { status: 200, body: { pad: 'x'.repeat(4096) } };
        case '/_matrix/key/v2/server':
          return { status: 200, body: { server_name: 'fed.test', verify_keys: {} } };
        case '/_matrix/key/v2/query':
          return { status: 200, body: { server_keys: [{ server_name: 'x.test' }, 'junk'] } };
        default:
          return { status: 404, body: { errcode: 'M_UNRECOGNIZED', error: 'unknown' } };
      }
    });
    rogue = await startHttpsServer(pki.rogue, () => ({ status: 200, body: { rogue: true } }));
    dns = await startTestDns({
      'fed.test': { A: ['127.0.0.1'] },
      'wk.test': { A: ['127.0.0.1'] },
      'delegated.test': { A: ['127.0.0.1'] },
      'srv.test': { A: ['127.0.0.1'] },
      '_matrix-fed._tcp.srv.test': { SRV: [{ priority: 0, weight: 0, port: server.port, target: 'target.test' }] },
      'target.test': { A: ['127.0.0.1'] },
      'other.test': { A: ['127.0.0.1'] },
    });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.close();
    await rogue?.close();
    await dns?.close();
    pki?.dispose();
  });

  it('reaches an IP literal with verified TLS, no SNI, Host = server name, and a valid X-Matrix header', async () => {
    const dest = `127.0.0.1:${server.port}`;
    const res = await client().request({ destination: dest, method: 'GET', path: '/_matrix/federation/v1/version' });
    assert.deepEqual(res, { server: { name: 'test' } });
    const seen = server.seen.at(-1);
    assert.ok(seen);
    assert.equal(seen.host, dest);
    assert.equal(seen.sni, false);
    assertSigned(seen, dest);
  });

  it('signs the query string and the JSON body; Host and SNI follow an explicit port', async () => {
    const dest = `fed.test:${server.port}`;
    const body = { hello: 'world', n: 1 };
    const res = await client().request<JsonObject>({ destination: dest, method: 'POST', path: '/_matrix/federation/v1/echo', query: { a: 'x y', b: ['1', '2'] }, body });
    assert.deepEqual(res, { got: '{"hello":"world","n":1}' });
    const seen = server.seen.at(-1);
    assert.ok(seen);
    assert.equal(seen.url, '/_matrix/federation/v1/echo?a=x+y&b=1&b=2');
    assert.equal(seen.host, dest);
    assert.equal(seen.sni, 'fed.test');
    assertSigned(seen, dest, body);
  });

  it('pools connections per destination: reused, and bounded', async () => {
    const dest = `fed.test:${server.port}`;
    const one = client({ maxConnectionsPerDestination: 1 });
    let before = server.connections;
    for (let i = 0; i < 3; i++) await one.request({ destination: dest, method: 'GET', path: '/_matrix/federation/v1/version' });
    assert.equal(server.connections - before, 1, 'sequential requests share one socket');
    const two = client({ maxConnectionsPerDestination: 2 });
    before = server.connections;
    await Promise.all(Array.from({ length: 6 }, () => two.request({ destination: dest, method: 'GET', path: '/_matrix/federation/v1/version' })));
    assert.equal(server.connections - before, 2, 'six concurrent requests over at most two sockets');
  });

  it('PUT without a body sends and signs {}', async () => {
    const dest = `fed.test:${server.port}`;
    await client().request({ destination: dest, method: 'PUT', path: '/_matrix/federation/v1/echo' });
    const seen = server.seen.at(-1);
    assert.ok(seen);
    assert.equal(seen.body, '{}');
    assertSigned(seen, dest, {});
  });

  it('follows well-known delegation: Host/SNI of the delegate, signature for the original name, well-known fetched once', async () => {
    const c = client({ resolutionTtlMs: 0 });
    const wellKnownBefore = server.seen.filter((s) => s.url === '/.well-known/matrix/server').length;
    await c.request({ destination: 'wk.test', method: 'GET', path: '/_matrix/federation/v1/version' });
    await c.request({ destination: 'wk.test', method: 'GET', path: '/_matrix/federation/v1/version' });
    const seen = server.seen.at(-1);
    assert.ok(seen);
    assert.equal(seen.host, `delegated.test:${server.port}`);
    assert.equal(seen.sni, 'delegated.test');
    assertSigned(seen, 'wk.test');
    assert.equal(server.seen.filter((s) => s.url === '/.well-known/matrix/server').length - wellKnownBefore, 1);
  });

  it('uses SRV records with Host/SNI of the server name', async () => {
    await client().request({ destination: 'srv.test', method: 'GET', path: '/_matrix/federation/v1/version' });
    const seen = server.seen.at(-1);
    assert.ok(seen);
    assert.equal(seen.host, 'srv.test');
    assert.equal(seen.sni, 'srv.test');
  });

  it('refuses a certificate from an untrusted CA, and the test CA without caFile', async () => {
    const toRogue = await federationRejection(client().request({ destination: `127.0.0.1:${rogue.port}`, method: 'GET', path: '/x' }));
    assert.equal(toRogue.kind, 'network');
    assert.equal(rogue.seen.length, 0);
    const noCa = await federationRejection(client({ caFile: undefined }).request({ destination: `127.0.0.1:${server.port}`, method: 'GET', path: '/x' }));
    assert.equal(noCa.kind, 'network');
  });

  it('refuses a certificate that does not name the host', async () => {
    const e = await federationRejection(client().request({ destination: `other.test:${server.port}`, method: 'GET', path: '/_matrix/federation/v1/version' }));
    assert.equal(e.kind, 'network');
    assert.match(e.message, /other\.test/);
  });

  it('accepts the untrusted certificate when tlsVerify is false', async () => {
    const res = await client({ tlsVerify: false }).request({ destination: `127.0.0.1:${rogue.port}`, method: 'GET', path: '/x' });
    assert.deepEqual(res, { rogue: true });
  });

  it('never connects to a denied network unless it is allowed', async () => {
    const before = server.connections;
    const e = await federationRejection(client({ allowNetworks: [] }).request({ destination: `fed.test:${server.port}`, method: 'GET', path: '/_matrix/federation/v1/version' }));
    assert.equal(e.kind, 'blocked');
    assert.equal(e.destination, `fed.test:${server.port}`);
    const literal = await federationRejection(client({ allowNetworks: [], denyNetworks: ['::ffff:127.0.0.0/104'] }).request({ destination: `127.0.0.1:${server.port}`, method: 'GET', path: '/' }));
    assert.equal(literal.kind, 'blocked');
    const wellKnownSeen = server.seen.length;
    const delegated = await federationRejection(client({ allowNetworks: [] }).request({ destination: 'wk.test', method: 'GET', path: '/' }));
    assert.equal(delegated.kind, 'blocked', 'the well-known fetch is guarded too, and so is the fallback');
    assert.equal(server.seen.length, wellKnownSeen);
    assert.equal(server.connections, before, 'no socket was opened');
  });

  it('maps a remote Matrix error to a FederationRequestError with its status, errcode and error', async () => {
    const dest = `127.0.0.1:${server.port}`;
    const e = await federationRejection(client().request({ destination: dest, method: 'GET', path: '/forbidden' }));
    assert.deepEqual([e.kind, e.status, e.errcode, e.error, e.destination], ['http', 403, 'M_FORBIDDEN', 'nope', dest]);
    const gw = await federationRejection(client().request({ destination: dest, method: 'GET', path: '/gateway' }));
    assert.deepEqual([gw.kind, gw.status, gw.errcode, gw.error], ['http', 502, undefined, undefined]);
    const bad = await federationRejection(client().request({ destination: dest, method: 'GET', path: '/notjson' }));
    assert.equal(bad.kind, 'bad_response');
  });

  it('times out a request that gets no answer', async () => {
    const started = Date.now();
    const e = await federationRejection(client().request({ destination: `127.0.0.1:${server.port}`, method: 'GET', path: '/hang', timeoutMs: 300 }));
    assert.equal(e.kind, 'timeout');
    assert.ok(Date.now() - started < 3000, 'gave up near the time limit');
  });

  it('refuses a response larger than the limit', async () => {
    const dest = `127.0.0.1:${server.port}`;
    const e = await federationRejection(client().request({ destination: dest, method: 'GET', path: '/big', maxResponseBytes: 1024 }));
    assert.equal(e.kind, 'too_large');
    const ok = await client().request<JsonObject>({ destination: dest, method: 'GET', path: '/big', maxResponseBytes: 8192 });
    assert.equal((ok.pad as string).length, 4096);
  });

  it('fails resolution of an unknown name with kind resolve', async () => {
    const e = await federationRejection(client().request({ destination: 'nowhere.test', method: 'GET', path: '/' }));
    assert.equal(e.kind, 'resolve');
  });

  it('fetchServerKeys is unsigned; queryNotary posts signed criteria and returns server_keys objects', async () => {
    const c = client();
    const dest = `fed.test:${server.port}`;
    assert.deepEqual(await c.fetchServerKeys(dest), { server_name: 'fed.test', verify_keys: {} });
    assert.equal(server.seen.at(-1)?.authorization, undefined);
    assert.deepEqual(await c.queryNotary(dest, 'x.test', 1234), [{ server_name: 'x.test' }]);
    const seen = server.seen.at(-1);
    assert.ok(seen);
    assert.deepEqual(JSON.parse(seen.body), { server_keys: { 'x.test': {} } });
    assertSigned(seen, dest, { server_keys: { 'x.test': {} } });
    await c.queryNotary(dest, 'x.test', 1234, ['ed25519:a']);
    assert.deepEqual(JSON.parse(server.seen.at(-1)?.body ?? ''), { server_keys: { 'x.test': { 'ed25519:a': { minimum_valid_until_ts: 1234 } } } });
  });
});
