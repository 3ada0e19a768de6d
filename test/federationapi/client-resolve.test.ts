/**
 * Server discovery against real sockets: a UDP DNS server answering from a table and an HTTPS
 * well-known server on 127.0.0.1 (its port stands in for 443), with certificates from a test CA.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { createWellKnownFetcher } from '../../src/federationapi/client/fetch-well-known.js';
import { tlsSettings } from '../../src/federationapi/client/guarded-connector.js';
import { createNetworkGuard } from '../../src/internal/net/network-guard.js';
import { resolveServer, type ResolveServerDeps } from '../../src/federationapi/client/resolve-server.js';
import { createWellKnownCache } from '../../src/federationapi/client/well-known-cache.js';
import { createTestPki, opensslUnavailableReason, startHttpsServer, startTestDns, type TestDns, type TestHttpsServer, type TestPki, type TestReply } from './client-test-kit.js';

const skip = opensslUnavailableReason();
if (skip) console.log(`# skipping server discovery tests: ${skip}`);

describe('resolveServer over real DNS and HTTPS', { skip }, () => {
  let pki: TestPki;
  let dns: TestDns;
  let wk: TestHttpsServer;
  let deps: ResolveServerDeps;

  const wellKnownHits = (host: string): number => wk.seen.filter((r) => r.host === `${host}:${wk.port}`).length;

  before(async () => {
    pki = createTestPki(['wk.test', 'wk-srv.test', 'srv.test', 'legacy.test', 'plain.test', 'redir.test', 'loop.test'], ['127.0.0.1']);
    wk = await startHttpsServer(pki.leaf, (req): TestReply => {
      const host = (req.host ?? '').replace(/:\d+$/, '');
      if (req.url !== '/.well-known/matrix/server') return { status: 404 };
      switch (host) {
        case 'wk.test':
          return { status: 200, body: { 'm.server': 'delegated.test:4321' } };
        case 'wk-srv.test':
          return { status: 200, body: { 'm.server': 'deleg-srv.test' }, headers: { 'content-type': 'text/plain' } };
        case 'redir.test':
          return { status: 302, headers: { location: `https://wk.test:${wk.port}/.well-known/matrix/server` } };
        case 'loop.test':
          return { status: 301, headers: { location: '/.well-known/matrix/server' } };
        default:
          return { status: 404, body: { errcode: 'M_NOT_FOUND', error: 'no' } };
      }
    });
    dns = await startTestDns({
      'wk.test': { A: ['127.0.0.1'] },
      'wk-srv.test': { A: ['127.0.0.1'] },
      'redir.test': { A: ['127.0.0.1'] },
      'loop.test': { A: ['127.0.0.1'] },
      'delegated.test': { A: ['127.0.0.3'] },
      'deleg-srv.test': { A: ['127.0.0.9'] },
      '_matrix-fed._tcp.deleg-srv.test': { SRV: [{ priority: 1, weight: 1, port: 7000, target: 't1.test' }] },
      't1.test': { A: ['127.0.0.4'], AAAA: ['fd00::4'] },
      'srv.test': { A: ['127.0.0.1'] },
      '_matrix-fed._tcp.srv.test': {
        SRV: [
          { priority: 10, weight: 5, port: 1111, target: 'a.test' },
          { priority: 5, weight: 5, port: 2222, target: 'b.test' },
        ],
      },
      'a.test': { A: ['127.0.0.5'] },
      'b.test': { A: ['127.0.0.6'] },
      'legacy.test': { A: ['127.0.0.1'] },
      '_matrix._tcp.legacy.test': { SRV: [{ priority: 0, weight: 0, port: 3333, target: 'b.test' }] },
      'plain.test': { A: ['127.0.0.1'], AAAA: ['::1'] },
      'fed.test': { A: ['127.0.0.7'] },
      'down.test': { A: ['127.0.0.2'] },
    });
    const guard = createNetworkGuard({ allowNetworks: ['127.0.0.0/8'], denyNetworks: ['127.0.0.0/8', '::1/128'] });
    const tls = tlsSettings(true, readFileSync(pki.caFile, 'utf8'));
    const wellKnown = createWellKnownCache({ fetch: createWellKnownFetcher({ dns: dns.resolver, guard, tls, port: wk.port, timeoutMs: 2000 }) });
    deps = { dns: dns.resolver, wellKnown, random: () => 0 };
  });

  after(async () => {
    await wk?.close();
    await dns?.close();
    pki?.dispose();
  });

  it('step 1: an IP literal is used as is, on 8448 or its port, without SNI or DNS', async () => {
    const before = dns.queries.length;
    const v4 = await resolveServer('127.0.0.1', deps);
    assert.deepEqual(v4, {
      serverName: '127.0.0.1',
      delegatedTo: undefined,
      method: 'ip-literal',
      host: '127.0.0.1',
      port: 8448,
      addresses: [{ address: '127.0.0.1', port: 8448 }],
      tlsServername: undefined,
      hostHeader: '127.0.0.1',
    });
    const v6 = await resolveServer('[::1]:1234', deps);
    assert.deepEqual(v6.addresses, [{ address: '::1', port: 1234 }]);
    assert.equal(v6.hostHeader, '[::1]:1234');
    assert.equal(v6.tlsServername, undefined);
    assert.equal(dns.queries.length, before, 'no DNS query for an IP literal');
  });

  it('step 2: a hostname with a port is looked up with A/AAAA only, Host keeps the port', async () => {
    const r = await resolveServer('fed.test:1234', deps);
    assert.equal(r.method, 'explicit-port');
    assert.deepEqual(r.addresses, [{ address: '127.0.0.7', port: 1234 }]);
    assert.equal(r.hostHeader, 'fed.test:1234');
    assert.equal(r.tlsServername, 'fed.test');
    assert.equal(wellKnownHits('fed.test'), 0);
    assert.ok(!dns.queries.some((q) => q.includes('_tcp.fed.test')), 'no SRV lookup with an explicit port');
  });

  it('step 3.2: well-known delegation to host:port, with SNI and Host of the delegate', async () => {
    const r = await resolveServer('wk.test', deps);
    assert.deepEqual(r, {
      serverName: 'wk.test',
      delegatedTo: 'delegated.test:4321',
      method: 'explicit-port',
      host: 'delegated.test',
      port: 4321,
      addresses: [{ address: '127.0.0.3', port: 4321 }],
      tlsServername: 'delegated.test',
      hostHeader: 'delegated.test:4321',
    });
    const req = wk.seen.find((s) => s.host === `wk.test:${wk.port}`);
    assert.equal(req?.sni, 'wk.test', 'the well-known request sends SNI for the hostname');
  });

  it('caches the well-known answer: a second resolution makes no request', async () => {
    await resolveServer('wk.test', deps);
    await resolveServer('wk.test', deps);
    assert.equal(wellKnownHits('wk.test'), 1);
  });

  it('caches a 404 too', async () => {
    await resolveServer('plain.test', deps);
    await resolveServer('plain.test', deps);
    assert.equal(wellKnownHits('plain.test'), 1);
  });

  it('step 3.3: a delegated name without port goes through _matrix-fed._tcp, Host/SNI stay the delegated name', async () => {
    const r = await resolveServer('wk-srv.test', deps);
    assert.equal(r.method, 'srv');
    assert.equal(r.delegatedTo, 'deleg-srv.test');
    assert.equal(r.host, 't1.test');
    assert.deepEqual(r.addresses, [
      { address: '127.0.0.4', port: 7000 },
      { address: 'fd00::4', port: 7000 },
    ]);
    assert.equal(r.hostHeader, 'deleg-srv.test');
    assert.equal(r.tlsServername, 'deleg-srv.test');
  });

  it('step 4: without delegation, _matrix-fed._tcp SRV records in priority order; Host/SNI are the server name', async () => {
    const r = await resolveServer('srv.test', deps);
    assert.equal(r.method, 'srv');
    assert.equal(r.delegatedTo, undefined);
    assert.equal(r.host, 'b.test');
    assert.equal(r.port, 2222);
    assert.deepEqual(r.addresses, [
      { address: '127.0.0.6', port: 2222 },
      { address: '127.0.0.5', port: 1111 },
    ]);
    assert.equal(r.hostHeader, 'srv.test');
    assert.equal(r.tlsServername, 'srv.test');
  });

  it('step 5: falls back to the deprecated _matrix._tcp record', async () => {
    const r = await resolveServer('legacy.test', deps);
    assert.equal(r.method, 'srv-legacy');
    assert.deepEqual(r.addresses, [{ address: '127.0.0.6', port: 3333 }]);
    assert.equal(r.hostHeader, 'legacy.test');
    const order = dns.queries.filter((q) => q.startsWith('SRV') && q.endsWith('legacy.test'));
    assert.deepEqual(order, ['SRV _matrix-fed._tcp.legacy.test', 'SRV _matrix._tcp.legacy.test']);
  });

  it('step 6: no well-known, no SRV: A and AAAA on port 8448', async () => {
    const r = await resolveServer('plain.test', deps);
    assert.equal(r.method, 'default-port');
    assert.deepEqual(r.addresses, [
      { address: '127.0.0.1', port: 8448 },
      { address: '::1', port: 8448 },
    ]);
    assert.equal(r.hostHeader, 'plain.test');
    assert.equal(r.tlsServername, 'plain.test');
  });

  it('follows a well-known redirect to another host', async () => {
    const r = await resolveServer('redir.test', deps);
    assert.equal(r.delegatedTo, 'delegated.test:4321');
    assert.equal(wellKnownHits('redir.test'), 1);
  });

  it('stops a redirect loop and falls back to SRV/default', async () => {
    const r = await resolveServer('loop.test', deps);
    assert.equal(r.method, 'default-port');
    assert.equal(wellKnownHits('loop.test'), 1, 'a redirect to the same URL is not followed');
  });

  it('an unreachable well-known host falls back to the default port', async () => {
    const r = await resolveServer('down.test', deps);
    assert.equal(r.method, 'default-port');
    assert.deepEqual(r.addresses, [{ address: '127.0.0.2', port: 8448 }]);
  });

  it('a name with no records at all fails', async () => {
    await assert.rejects(resolveServer('nowhere.test', deps), /nowhere\.test has no A or AAAA records/);
  });
});
