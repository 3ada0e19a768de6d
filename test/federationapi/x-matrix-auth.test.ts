/**
 * X-Matrix request authentication end to end: a federation route on a real HTTP server built as
 * the project builds its listeners, called over TCP with requests signed as a remote server signs
 * them (raw request targets, real headers, real bodies).
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createFederationAuthenticator } from '../../src/federationapi/auth/federation-authenticator.js';
import type { FederationKeyLookup } from '../../src/federationapi/auth/federation-key-lookup.js';
import { signedXMatrixHeader, type RequestToSign } from '../../src/federationapi/auth/test-signed-request.js';
import { createHttpServer } from '../../src/internal/httputil/create-http-server.js';
import { defineRoute } from '../../src/internal/httputil/route.js';
import type { JsonValue } from '../../src/matrix/json.js';
import { generateSigningKey } from '../../src/matrix/signing-key.js';

const US = 'us.example';
const REMOTE = 'remote.example:8448';
const key = generateSigningKey('a1');
const otherKey = generateSigningKey('a2');

/** The key ring of the test: knows REMOTE's `a1` key only. */
const keys: FederationKeyLookup = {
  verifyKey: async (serverName, keyId) =>
    serverName === REMOTE && keyId === key.keyId ? key.publicKeyBase64 : undefined,
};

const seen: { origin: string | undefined; body: unknown }[] = [];
const putRoute = defineRoute({
  method: 'PUT',
  path: '/_matrix/federation/v1/test_put/:txnId',
  auth: 'federation',
  rateLimit: 'none',
  schema: {},
  handler: async ({ origin, body }) => {
    seen.push({ origin: origin?.serverName, body });
    return { origin: origin?.serverName ?? null };
  },
});
const getRoute = defineRoute({
  method: 'GET',
  path: '/_matrix/federation/v1/test_get/:roomId',
  auth: 'federation',
  rateLimit: 'none',
  schema: {},
  handler: async ({ origin, query }) => ({ origin: origin?.serverName ?? null, query }),
});

interface Reply {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

let port = 0;

/** Sends a request with exactly this target and these headers (no URL normalisation). */
function send(method: string, path: string, headers: Record<string, string | string[]>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const TXN_PATH = '/_matrix/federation/v1/test_put/txn%201';
const CONTENT = { pdus: [], edus: [{ edu_type: 'm.typing', content: { room_id: '!r:remote.example', typing: true } }] };

function signed(over: Partial<RequestToSign> = {}): string {
  return signedXMatrixHeader({ method: 'PUT', uri: TXN_PATH, origin: REMOTE, destination: US, content: CONTENT, key, ...over });
}

function put(authorization: string | string[] | undefined, body: JsonValue = CONTENT, path = TXN_PATH): Promise<Reply> {
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return send('PUT', path, headers, JSON.stringify(body));
}

function assert401(r: Reply, error: string): void {
  assert.equal(r.status, 401);
  assert.deepEqual(r.json, { errcode: 'M_UNAUTHORIZED', error });
}

describe('X-Matrix authentication of federation routes over HTTP', () => {
  let app: ReturnType<typeof createHttpServer> | undefined;
  before(async () => {
    app = createHttpServer({
      logger: pino({ level: 'silent' }),
      routes: [putRoute, getRoute],
      maxBodyBytes: 65536,
      trustProxy: false,
      cors: false,
      accessTokenInQuery: false,
      authenticators: { federation: createFederationAuthenticator({ serverName: US, keys }) },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  after(() => app?.close());

  it('passes a validly signed PUT, and the handler sees the origin and body', async () => {
    seen.length = 0;
    const r = await put(signed());
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { origin: REMOTE });
    assert.deepEqual(seen, [{ origin: REMOTE, body: CONTENT }]);
  });

  it('passes a signed GET whose query string is verified exactly as sent', async () => {
    const path = '/_matrix/federation/v1/test_get/!room:remote.example?event_id=%24abc%2Fdef&limit=10';
    const h = signedXMatrixHeader({ method: 'GET', uri: path, origin: REMOTE, destination: US, key });
    const r = await send('GET', path, { authorization: h });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { origin: REMOTE, query: { event_id: '$abc/def', limit: '10' } });
  });

  it('passes a body-less PUT signed without content', async () => {
    const r = await send('PUT', TXN_PATH, { authorization: signed({ content: undefined }) });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { origin: REMOTE });
  });

  it('passes when one of several Authorization headers verifies', async () => {
    const r = await put([signed({ key: otherKey }), signed()]);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { origin: REMOTE });
  });

  it('passes a pre-v1.3 header without destination', async () => {
    const r = await put(signed({ headerDestination: null }));
    assert.equal(r.status, 200);
  });

  it('refuses a request for another destination', async () => {
    const r = await put(signed({ destination: 'them.example' }));
    assert401(r, 'Request is for destination "them.example", not us.example');
  });

  it('refuses a tampered body', async () => {
    const r = await put(signed(), { ...CONTENT, pdus: [{ type: 'm.room.message' }] });
    assert401(r, `Invalid signature from ${REMOTE} with key "ed25519:a1"`);
  });

  it('refuses a tampered or re-encoded query string', async () => {
    const signedPath = '/_matrix/federation/v1/test_get/!r:remote.example?limit=10&event_id=%24a%2Fb';
    const h = signedXMatrixHeader({ method: 'GET', uri: signedPath, origin: REMOTE, destination: US, key });
    for (const sent of [
      '/_matrix/federation/v1/test_get/!r:remote.example?limit=11&event_id=%24a%2Fb',
      '/_matrix/federation/v1/test_get/!r:remote.example?limit=10&event_id=$a/b',
      '/_matrix/federation/v1/test_get/!r:remote.example?event_id=%24a%2Fb&limit=10',
      '/_matrix/federation/v1/test_get/!r:remote.example',
    ]) {
      assert401(await send('GET', sent, { authorization: h }), `Invalid signature from ${REMOTE} with key "ed25519:a1"`);
    }
    assert.equal((await send('GET', signedPath, { authorization: h })).status, 200);
  });

  it('refuses a header naming a key ID the origin does not have', async () => {
    const r = await put(signed({ headerKeyId: 'ed25519:nope' }));
    assert401(r, `Unknown or expired key "ed25519:nope" of ${REMOTE}`);
  });

  it('refuses a request without an Authorization header', async () => {
    assert401(await put(undefined), 'Missing X-Matrix Authorization header');
    assert401(await put('Bearer syt_token'), 'Missing X-Matrix Authorization header');
  });

  it('refuses a malformed header', async () => {
    const r = await put(`X-Matrix origin="${REMOTE}",key="ed25519:a1"`);
    assert401(r, 'Malformed X-Matrix Authorization header: the "sig" parameter is missing');
  });

  it('refuses an origin whose keys are unknown', async () => {
    const r = await put(signed({ origin: 'stranger.example' }));
    assert401(r, 'Unknown or expired key "ed25519:a1" of stranger.example');
  });

  it('refuses a request signed by another server than the header claims', async () => {
    const h = signed({ origin: 'stranger.example' }).replace('origin="stranger.example"', `origin="${REMOTE}"`);
    assert401(await put(h), `Invalid signature from ${REMOTE} with key "ed25519:a1"`);
  });
});
