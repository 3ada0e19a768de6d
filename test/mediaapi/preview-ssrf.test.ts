import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { html, redirect, startOrigin, startPreviewApp, type PreviewApp, type TestOrigin } from './preview-test-kit.js';

const BLOCKED_IP = { errcode: 'M_UNKNOWN', error: 'IP address blocked' };
const BLOCKED_NAME = { errcode: 'M_UNKNOWN', error: 'DNS resolution failure during URL preview generation' };

describe('preview_url refuses private and loopback addresses (default deny list)', () => {
  let origin: TestOrigin;
  let p: PreviewApp;

  before(async () => {
    origin = await startOrigin({ '/secret': html('<title>internal admin</title>') });
    p = await startPreviewApp({
      hosts: {
        'rebind.test': ['127.0.0.1'],
        'mapped.test': ['::ffff:127.0.0.1'],
        'mixed.test': ['93.184.216.34', '10.0.0.7'],
        'metadata.test': ['169.254.169.254'],
      },
      timeoutMs: 2000,
    });
  });
  after(async () => {
    await p.close();
    await origin.close();
  });

  it('refuses IP literals in denied networks with 403, in every spelling, without connecting', async () => {
    const port = origin.port;
    const literals = [
      `http://127.0.0.1:${port}/secret`,
      `http://127.9.9.9:${port}/secret`,
      `http://[::1]:${port}/secret`,
      `http://[::ffff:127.0.0.1]:${port}/secret`,
      `http://[::ffff:7f00:1]:${port}/secret`,
      // WHATWG URL parsing turns these into 127.0.0.1 before the guard sees them.
      `http://2130706433:${port}/secret`,
      `http://0x7f.1:${port}/secret`,
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'https://[fd00::1]/',
      'http://[fe80::1]/',
      'http://0.0.0.0/',
    ];
    for (const url of literals) {
      const res = await p.preview(url);
      assert.equal(res.status, 403, url);
      assert.deepEqual(res.body, BLOCKED_IP, url);
    }
    assert.deepEqual(origin.hits, []);
  });

  it('refuses a host name resolving to a denied address (including when only one of them is) with 502', async () => {
    for (const host of ['rebind.test', 'mapped.test', 'mixed.test', 'metadata.test']) {
      const res = await p.preview(`http://${host}:${origin.port}/secret`);
      assert.equal(res.status, 502, host);
      assert.deepEqual(res.body, BLOCKED_NAME, host);
    }
    assert.deepEqual(origin.hits, []);
  });

  it('answers a name that does not resolve the same way', async () => {
    const res = await p.preview('http://nowhere.test/');
    assert.equal(res.status, 502);
    assert.deepEqual(res.body, BLOCKED_NAME);
  });
});

describe('preview_url with 127.0.0.0/8 in allow_networks', () => {
  let origin: TestOrigin;
  let p: PreviewApp;

  before(async () => {
    origin = await startOrigin({
      '/page': html('<title>allowed</title>'),
      '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/'),
      '/to-ten': redirect('http://10.0.0.1/', 301),
      '/to-private-name': redirect('http://intranet.test/'),
      '/hop1': redirect('/hop2'),
      '/hop2': redirect('http://[::1]/'),
    });
    p = await startPreviewApp({
      allowNetworks: ['127.0.0.0/8'],
      hosts: { 'site.test': ['127.0.0.1'], 'intranet.test': ['192.168.0.10'], 'v6.test': ['::1'] },
      timeoutMs: 2000,
    });
  });
  after(async () => {
    await p.close();
    await origin.close();
  });

  it('fetches the allowed loopback origin, by address and by a name resolving to it', async () => {
    assert.deepEqual((await p.preview(`http://127.0.0.1:${origin.port}/page`)).body, { 'og:title': 'allowed' });
    assert.deepEqual((await p.preview(`http://site.test:${origin.port}/page?x=1`)).body, { 'og:title': 'allowed' });
    assert.deepEqual((await p.preview(`http://[::ffff:127.0.0.1]:${origin.port}/page?x=2`)).body, { 'og:title': 'allowed' });
  });

  it('still refuses other denied networks, IPv6 loopback included', async () => {
    assert.deepEqual((await p.preview(`http://[::1]:${origin.port}/page`)).body, BLOCKED_IP);
    assert.equal((await p.preview(`http://v6.test:${origin.port}/page`)).status, 502);
    assert.equal((await p.preview('http://10.0.0.1/')).status, 403);
  });

  it('re-checks every redirect: an allowed origin cannot bounce the fetch to a denied address', async () => {
    const cases: [string, number, object][] = [
      ['/to-metadata', 403, BLOCKED_IP],
      ['/to-ten', 403, BLOCKED_IP],
      ['/to-private-name', 502, BLOCKED_NAME],
      ['/hop1', 403, BLOCKED_IP],
    ];
    for (const [path, status, body] of cases) {
      const res = await p.preview(`${origin.base}${path}`);
      assert.equal(res.status, status, path);
      assert.deepEqual(res.body, body, path);
    }
    assert.ok(origin.hits.includes('/hop2'), 'the chain was followed up to the denied hop');
  });
});

describe('preview_url and DNS rebinding', () => {
  it('resolves a name once per fetch and connects to the address it checked', async () => {
    const origin = await startOrigin({ '/page': html('<title>checked address</title>') });
    const lookups: string[] = [];
    // A rebinding resolver: an allowed address first, a denied one on every later lookup.
    const p = await startPreviewApp({
      allowNetworks: ['127.0.0.1/32'],
      hosts: async (host) => {
        lookups.push(host);
        return lookups.length === 1 ? ['127.0.0.1'] : ['127.0.0.2'];
      },
    });
    try {
      const res = await p.preview(`http://rebind.test:${origin.port}/page`);
      assert.deepEqual(res.body, { 'og:title': 'checked address' });
      assert.deepEqual(lookups, ['rebind.test']);
      assert.deepEqual(origin.hits, ['/page']);
      const again = await p.preview(`http://rebind.test:${origin.port}/page?again`);
      assert.deepEqual(again.body, BLOCKED_NAME);
      assert.deepEqual(origin.hits, ['/page']);
    } finally {
      await p.close();
      await origin.close();
    }
  });
});
