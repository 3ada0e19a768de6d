import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import type { QueryServerKeyRequest } from '../federationapi/api.js';
import { signedXMatrixHeader } from '../federationapi/auth/test-signed-request.js';
import { MatrixError } from '../internal/errors/matrix-error.js';
import { generateSigningKey } from '../matrix/signing-key.js';
import { federationAuthenticatorViaApi } from './federation-authenticator-via-api.js';

describe('federationAuthenticatorViaApi', () => {
  const key = generateSigningKey('k1');
  const uri = '/_matrix/federation/v1/media/download/abc';
  const request = (header: string) => ({ method: 'GET', url: uri, headers: { authorization: header }, raw: { url: uri, rawHeaders: ['Authorization', header] } }) as unknown as FastifyRequest;

  it("verifies X-Matrix with the key the federationapi's key ring returns", async () => {
    const asked: QueryServerKeyRequest[] = [];
    const auth = federationAuthenticatorViaApi('media.example', {
      async queryServerKey(req) {
        asked.push(req);
        return { publicKey: req.serverName === 'them.example' && req.keyId === key.keyId ? key.publicKeyBase64 : null };
      },
    });
    const good = signedXMatrixHeader({ method: 'GET', uri, origin: 'them.example', destination: 'media.example', key });
    assert.deepEqual(await auth.authenticate(request(good), undefined), { serverName: 'them.example' });
    assert.equal(asked[0]?.serverName, 'them.example');
    assert.equal(asked[0]?.keyId, key.keyId);
    assert.equal(typeof asked[0]?.atTs, 'number');

    const other = signedXMatrixHeader({ method: 'GET', uri, origin: 'other.example', destination: 'media.example', key });
    await assert.rejects(auth.authenticate(request(other), undefined), (e: unknown) => e instanceof MatrixError && e.status === 401);
    const elsewhere = signedXMatrixHeader({ method: 'GET', uri, origin: 'them.example', destination: 'elsewhere.example', key });
    await assert.rejects(auth.authenticate(request(elsewhere), undefined), (e: unknown) => e instanceof MatrixError && e.status === 401);
  });
});
