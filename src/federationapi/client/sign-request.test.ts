import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signingKeyFromSeed } from '../../matrix/signing-key.js';
import { verifyJsonSignature } from '../../matrix/verify-json.js';
import { requestJsonToSign, signRequest } from './sign-request.js';

const key = signingKeyFromSeed(new Uint8Array(32).fill(7), 'k1');

describe('signRequest', () => {
  it('builds the spec header and a signature that verifies over method, uri, origin, destination, content', () => {
    const parts = { method: 'PUT', uri: '/_matrix/federation/v1/send/1?x=1', origin: 'a.test', destination: 'b.test:8448', content: { pdus: [] } };
    const header = signRequest(parts, key);
    const m = /^X-Matrix origin="a\.test",destination="b\.test:8448",key="ed25519:k1",sig="([A-Za-z0-9+/]+)"$/.exec(header);
    assert.ok(m, header);
    const signed = { ...requestJsonToSign(parts), signatures: { 'a.test': { 'ed25519:k1': m[1] ?? '' } } };
    assert.deepEqual(verifyJsonSignature(signed, 'a.test', 'ed25519:k1', key.publicKeyBase64), { ok: true });
    // Any change to a covered field breaks the signature.
    assert.equal(verifyJsonSignature({ ...signed, destination: 'c.test' }, 'a.test', 'ed25519:k1', key.publicKeyBase64).ok, false);
  });

  it('omits content when there is no body', () => {
    assert.deepEqual(requestJsonToSign({ method: 'GET', uri: '/v', origin: 'a', destination: 'b' }), { method: 'GET', uri: '/v', origin: 'a', destination: 'b' });
  });
});
