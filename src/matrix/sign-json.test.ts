import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonSignature, signJson, withSignature } from './sign-json.js';
import { verifyJsonSignature } from './verify-json.js';
import { signingKeyFromSeed } from './signing-key.js';
import { decodeBase64 } from './base64.js';
import { canonicalJson } from './canonical-json.js';

// Spec appendix "Cryptographic Test Vectors": seed, server "domain", key "ed25519:1".
const key = signingKeyFromSeed(decodeBase64('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1'), '1');

void test('signing the empty object gives the spec signature', () => {
  assert.deepEqual(signJson({}, 'domain', key), {
    signatures: {
      domain: {
        'ed25519:1': 'K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ',
      },
    },
  });
});

void test('signing an object with data gives the spec signature', () => {
  const signed = signJson({ one: 1, two: 'Two' }, 'domain', key);
  assert.equal(
    canonicalJson(signed),
    '{"one":1,"signatures":{"domain":{"ed25519:1":"KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"}},"two":"Two"}',
  );
});

void test('unsigned and existing signatures are not covered and are kept', () => {
  const input = {
    one: 1,
    two: 'Two',
    unsigned: { age_ts: 922834800000 },
    signatures: { other: { 'ed25519:x': 'abc' }, domain: { 'ed25519:0': 'old' } },
  };
  const signed = signJson(input, 'domain', key);
  assert.deepEqual(signed.signatures, {
    other: { 'ed25519:x': 'abc' },
    domain: {
      'ed25519:0': 'old',
      'ed25519:1': 'KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw',
    },
  });
  assert.deepEqual(signed.unsigned, { age_ts: 922834800000 });
  // the input is not mutated
  assert.deepEqual(input.signatures, { other: { 'ed25519:x': 'abc' }, domain: { 'ed25519:0': 'old' } });
});

void test('jsonSignature and withSignature compose into signJson', () => {
  const sig = jsonSignature({ a: 1 }, key);
  assert.deepEqual(signJson({ a: 1 }, 's', key).signatures, withSignature(undefined, 's', 'ed25519:1', sig));
});

void test('signatures from signJson verify; tampering breaks them', () => {
  const signed = signJson({ a: 1, b: ['x'] }, 'example.org', key);
  assert.deepEqual(verifyJsonSignature(signed, 'example.org', 'ed25519:1', key.publicKeyBase64), { ok: true });
  assert.equal(verifyJsonSignature({ ...signed, a: 2 }, 'example.org', 'ed25519:1', key.publicKeyBase64).ok, false);
});
