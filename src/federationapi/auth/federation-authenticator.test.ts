import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { generateSigningKey } from '../../matrix/signing-key.js';
import { authorizationHeaders, createFederationAuthenticator, hadBody } from './federation-authenticator.js';
import { signedXMatrixHeader } from './test-signed-request.js';

/** The parts of a Fastify request the authenticator reads. */
function fakeRequest(o: {
  method: string;
  url: string;
  rawHeaders: string[];
  headers?: Record<string, string>;
}): FastifyRequest {
  const headers: Record<string, string> = { ...o.headers };
  for (let i = 0; i + 1 < o.rawHeaders.length; i += 2) {
    const name = o.rawHeaders[i]!.toLowerCase();
    headers[name] ??= o.rawHeaders[i + 1]!;
  }
  return { method: o.method, url: '/rewritten', headers, raw: { url: o.url, rawHeaders: o.rawHeaders } } as unknown as FastifyRequest;
}

describe('authorizationHeaders', () => {
  it('returns every Authorization header in order, whatever the case of the name', () => {
    const req = fakeRequest({
      method: 'GET',
      url: '/',
      rawHeaders: ['Authorization', 'X-Matrix a', 'Host', 'x', 'AUTHORIZATION', 'X-Matrix b', 'authorization', 'X-Matrix c'],
    });
    assert.deepEqual(authorizationHeaders(req), ['X-Matrix a', 'X-Matrix b', 'X-Matrix c']);
    assert.deepEqual(authorizationHeaders(fakeRequest({ method: 'GET', url: '/', rawHeaders: ['Host', 'x'] })), []);
  });
});

describe('hadBody', () => {
  it('decides by Content-Length, then Transfer-Encoding', () => {
    const req = (headers: Record<string, string>) => fakeRequest({ method: 'PUT', url: '/', rawHeaders: [], headers });
    assert.equal(hadBody(req({ 'content-length': '2' })), true);
    assert.equal(hadBody(req({ 'content-length': '0' })), false);
    assert.equal(hadBody(req({ 'transfer-encoding': 'chunked' })), true);
    assert.equal(hadBody(req({})), false);
  });
});

describe('createFederationAuthenticator', () => {
  const key = generateSigningKey('x');
  const auth = createFederationAuthenticator({
    serverName: 'us.example',
    keys: { verifyKey: async (s, k) => (s === 'them.example' && k === key.keyId ? key.publicKeyBase64 : undefined) },
    now: () => 42,
  });
  const uri = '/_matrix/federation/v1/query/profile?user_id=%40a%3Athem.example';
  const header = signedXMatrixHeader({ method: 'GET', uri, origin: 'them.example', destination: 'us.example', key });

  it('verifies the raw request target, not the (possibly rewritten) routed URL', async () => {
    const req = fakeRequest({ method: 'GET', url: uri, rawHeaders: ['Authorization', header] });
    assert.deepEqual(await auth.authenticate(req, undefined), { serverName: 'them.example' });
  });

  it('signs no content for a body-less request even when the HTTP layer supplied {}', async () => {
    const req = fakeRequest({ method: 'GET', url: uri, rawHeaders: ['Authorization', header, 'Content-Length', '0'] });
    assert.deepEqual(await auth.authenticate(req, {}), { serverName: 'them.example' });
    const withBody = fakeRequest({ method: 'GET', url: uri, rawHeaders: ['Authorization', header, 'Content-Length', '2'] });
    await assert.rejects(auth.authenticate(withBody, {}), (e: unknown) => e instanceof MatrixError && e.status === 401);
  });
});
