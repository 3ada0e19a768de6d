import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedPublicKey, verifyJsonSignature } from './verify-json.js';
import { generateSigningKey, signingKeyFromSeed } from './signing-key.js';
import { decodeBase64 } from './base64.js';
import type { JsonObject } from './json.js';

const key = signingKeyFromSeed(decodeBase64('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1'), '1');
const PUB = 'XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI';

// The spec appendix's signed object with data.
const specSigned: JsonObject = {
  one: 1,
  signatures: {
    domain: { 'ed25519:1': 'KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw' },
  },
  two: 'Two',
};

const reason = (r: ReturnType<typeof verifyJsonSignature>): string => (r.ok ? 'ok' : r.reason);

void test('the spec vector verifies with the key as base64, raw bytes or KeyObject', () => {
  assert.equal(reason(verifyJsonSignature(specSigned, 'domain', 'ed25519:1', PUB)), 'ok');
  assert.equal(reason(verifyJsonSignature(specSigned, 'domain', 'ed25519:1', key.publicKey)), 'ok');
  assert.equal(reason(verifyJsonSignature(specSigned, 'domain', 'ed25519:1', cachedPublicKey(PUB)!)), 'ok');
  // adding unsigned data does not matter
  assert.equal(reason(verifyJsonSignature({ ...specSigned, unsigned: { age: 5 } }, 'domain', 'ed25519:1', PUB)), 'ok');
});

void test('each failure has its reason', () => {
  const other = generateSigningKey('x').publicKeyBase64;
  const cases: [JsonObject, string, string, string, string][] = [
    [{ one: 1 }, 'domain', 'ed25519:1', PUB, 'no signatures object'],
    [specSigned, 'elsewhere', 'ed25519:1', PUB, 'not signed by elsewhere'],
    [specSigned, 'domain', 'ed25519:2', PUB, 'not signed by domain with ed25519:2'],
    [specSigned, 'domain', 'curve25519:1', PUB, 'unsupported signing algorithm in curve25519:1'],
    [{ ...specSigned, one: 2 }, 'domain', 'ed25519:1', PUB, 'bad signature from domain ed25519:1'],
    [specSigned, 'domain', 'ed25519:1', other, 'bad signature from domain ed25519:1'],
    [specSigned, 'domain', 'ed25519:1', 'Zm9v', 'malformed public key for domain ed25519:1'],
    [{ ...specSigned, signatures: { domain: { 'ed25519:1': 'Zm9v' } } }, 'domain', 'ed25519:1', PUB, 'malformed signature from domain ed25519:1'],
    [{ ...specSigned, signatures: { domain: { 'ed25519:1': '!!' } } }, 'domain', 'ed25519:1', PUB, 'malformed signature from domain ed25519:1'],
    [{ ...specSigned, signatures: { domain: 'x' } }, 'domain', 'ed25519:1', PUB, 'not signed by domain'],
  ];
  for (const [obj, server, keyId, pub, expected] of cases) {
    assert.equal(reason(verifyJsonSignature(obj, server, keyId, pub)), expected);
  }
});

void test('floats fail in strict mode and are covered in lenient mode', () => {
  const obj: JsonObject = { f: 1.5 };
  const sig = { signatures: { domain: { 'ed25519:1': '' } } };
  assert.match(reason(verifyJsonSignature({ ...obj, ...sig }, 'domain', 'ed25519:1', PUB)), /^not canonical JSON: float 1.5/);
  assert.match(reason(verifyJsonSignature({ ...obj, ...sig }, 'domain', 'ed25519:1', PUB, { strict: false })), /^malformed signature/);
});

void test('cachedPublicKey returns the same object and rejects bad keys', () => {
  assert.equal(cachedPublicKey(PUB), cachedPublicKey(PUB));
  assert.equal(cachedPublicKey('Zm9v'), undefined);
  assert.equal(cachedPublicKey('not base64!'), undefined);
  assert.equal(key.publicKeyBase64, PUB);
});
