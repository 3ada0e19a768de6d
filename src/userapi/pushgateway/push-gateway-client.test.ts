import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createNetworkGuard } from '../../internal/net/network-guard.js';
import { createPushGatewayClient, MAX_GATEWAY_RESPONSE_BYTES, type PushGatewayNotification } from './push-gateway-client.js';
import { PushGatewayError } from './push-gateway-error.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

const LOOPBACK_ALLOWED = createNetworkGuard({ allowNetworks: ['127.0.0.0/8'], denyNetworks: ['127.0.0.0/8'] });
const LOOPBACK_DENIED = createNetworkGuard({ allowNetworks: [], denyNetworks: ['127.0.0.0/8', '::1/128'] });

const NOTIFICATION: PushGatewayNotification = {
  event_id: '$ev:example.org',
  room_id: '!room:example.org',
  type: 'm.room.message',
  sender: '@alice:example.org',
  prio: 'high',
  content: { msgtype: 'm.text', body: 'hi' },
  counts: { unread: 2 },
  devices: [{ app_id: 'org.example.app', pushkey: 'key1', pushkey_ts: 12345, data: { format: 'event_id_only' }, tweaks: { sound: 'default' } }],
};

async function expectPushError(p: Promise<unknown>, kind: PushGatewayError['kind'], retryable: boolean): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof PushGatewayError, `expected PushGatewayError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.equal(e.retryable, retryable);
    return true;
  });
}

describe('createPushGatewayClient', () => {
  let server: Server;
  let base: string;
  let seen: Seen[];
  let answer: (req: IncomingMessage, res: ServerResponse) => void;

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body: text === '' ? undefined : JSON.parse(text) });
        answer(req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    seen = [];
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });

  it('POSTs {notification} as JSON to the URL and returns no rejections for {}', async () => {
    const client = createPushGatewayClient({ guard: LOOPBACK_ALLOWED });
    const res = await client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION);
    assert.deepEqual(res, { rejected: [] });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.method, 'POST');
    assert.equal(seen[0]?.url, '/_matrix/push/v1/notify');
    assert.equal(seen[0]?.contentType, 'application/json');
    assert.deepEqual(seen[0]?.body, { notification: NOTIFICATION });
  });

  it('returns the rejected pushkeys, keeping only strings', async () => {
    answer = (_req, res) => res.writeHead(200).end(JSON.stringify({ rejected: ['key1', 7, 'key2'] }));
    const client = createPushGatewayClient({ guard: LOOPBACK_ALLOWED });
    assert.deepEqual(await client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), { rejected: ['key1', 'key2'] });
  });

  it('treats a 2xx body that is not JSON, or too large, as nothing rejected', async () => {
    const client = createPushGatewayClient({ guard: LOOPBACK_ALLOWED });
    answer = (_req, res) => res.writeHead(200).end('not json');
    assert.deepEqual(await client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), { rejected: [] });
    const huge = JSON.stringify({ rejected: ['key1'], pad: 'x'.repeat(MAX_GATEWAY_RESPONSE_BYTES) });
    answer = (_req, res) => res.writeHead(200).end(huge);
    assert.deepEqual(await client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), { rejected: [] });
  });

  it('throws a retryable error on 5xx and 429', async () => {
    const client = createPushGatewayClient({ guard: LOOPBACK_ALLOWED });
    answer = (_req, res) => res.writeHead(502).end('bad gateway');
    await expectPushError(client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), 'status', true);
    answer = (_req, res) => res.writeHead(429).end('{}');
    await expectPushError(client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), 'status', true);
    assert.equal(seen.length, 2);
  });

  it('returns nothing rejected on another 4xx, and does not follow a redirect', async () => {
    const client = createPushGatewayClient({ guard: LOOPBACK_ALLOWED });
    answer = (_req, res) => res.writeHead(400).end('{"rejected":["key1"]}');
    assert.deepEqual(await client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), { rejected: [] });
    answer = (req, res) => res.writeHead(req.url === '/moved' ? 200 : 307, { location: '/moved' }).end('{"rejected":["key1"]}');
    assert.deepEqual(await client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), { rejected: [] });
    assert.deepEqual(seen.map((s) => s.url), ['/_matrix/push/v1/notify', '/_matrix/push/v1/notify']);
  });

  it('gives up after the deadline with a retryable timeout', async () => {
    answer = () => undefined; // never answers
    const client = createPushGatewayClient({ guard: LOOPBACK_ALLOWED, timeoutMs: 200 });
    const started = Date.now();
    await expectPushError(client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), 'timeout', true);
    const took = Date.now() - started;
    assert.ok(took >= 190 && took < 3000, `took ${took} ms`);
  });

  it('never contacts a denied address, by IP literal or by name', async () => {
    const client = createPushGatewayClient({ guard: LOOPBACK_DENIED, resolve: async (h) => (h === 'gateway.test' ? ['127.0.0.1'] : []) });
    await expectPushError(client.notify(`${base}/_matrix/push/v1/notify`, NOTIFICATION), 'blocked', false);
    const port = new URL(base).port;
    await expectPushError(client.notify(`http://gateway.test:${port}/_matrix/push/v1/notify`, NOTIFICATION), 'blocked', false);
    await expectPushError(client.notify(`http://unknown.test:${port}/_matrix/push/v1/notify`, NOTIFICATION), 'blocked', false);
    assert.equal(seen.length, 0);
  });

  it('connects to the checked address of a name, not to a fresh resolution', async () => {
    let lookups = 0;
    const client = createPushGatewayClient({
      guard: LOOPBACK_ALLOWED,
      resolve: async () => {
        lookups++;
        return ['127.0.0.1'];
      },
    });
    const port = new URL(base).port;
    assert.deepEqual(await client.notify(`http://gateway.test:${port}/_matrix/push/v1/notify`, NOTIFICATION), { rejected: [] });
    assert.equal(lookups, 1);
    assert.equal(seen.length, 1);
  });

  it('refuses URLs that are not absolute http(s)', async () => {
    const client = createPushGatewayClient({ guard: LOOPBACK_ALLOWED });
    await expectPushError(client.notify('ftp://127.0.0.1/_matrix/push/v1/notify', NOTIFICATION), 'bad_url', false);
    await expectPushError(client.notify('/_matrix/push/v1/notify', NOTIFICATION), 'bad_url', false);
    await expectPushError(client.notify(`http://u:p@127.0.0.1:${new URL(base).port}/_matrix/push/v1/notify`, NOTIFICATION), 'bad_url', false);
    assert.equal(seen.length, 0);
  });

  it('reports a refused connection as a retryable network error', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const client = createPushGatewayClient({ guard: LOOPBACK_ALLOWED });
    await expectPushError(client.notify(`http://127.0.0.1:${port}/_matrix/push/v1/notify`, NOTIFICATION), 'network', true);
  });
});
