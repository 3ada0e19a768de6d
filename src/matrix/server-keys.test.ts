import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildServerKeys, effectiveValidUntil, parseServerKeys, MAX_KEY_VALIDITY_MS } from './server-keys.js';
import { generateSigningKey } from './signing-key.js';
import { signJson } from './sign-json.js';
import { jkiPublicKey, jkiServerKeys, specKey } from './test-known-events.js';
import type { JsonObject } from './json.js';

const reason = (r: ReturnType<typeof parseServerKeys>): string => (r.ok ? 'ok' : r.reason);

void test('buildServerKeys produces the spec shape, signed by every current key', () => {
  const second = generateSigningKey('b');
  const body = buildServerKeys({
    serverName: 'example.org',
    signingKeys: [specKey, second],
    oldKeys: [{ keyId: 'ed25519:0ldK3y', key: jkiPublicKey, expiredTs: 1532645052628 }],
    validUntilTs: 1652262000000,
  });
  assert.deepEqual(Object.keys(body).sort(), ['old_verify_keys', 'server_name', 'signatures', 'valid_until_ts', 'verify_keys']);
  assert.deepEqual(body.verify_keys, {
    'ed25519:1': { key: 'XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI' },
    'ed25519:b': { key: second.publicKeyBase64 },
  });
  assert.deepEqual(body.old_verify_keys, { 'ed25519:0ldK3y': { key: jkiPublicKey, expired_ts: 1532645052628 } });
  assert.deepEqual(Object.keys((body.signatures as JsonObject)['example.org'] as JsonObject).sort(), ['ed25519:1', 'ed25519:b']);

  const parsed = parseServerKeys(body, 'example.org');
  assert.ok(parsed.ok);
  assert.deepEqual([...parsed.keys.verifyKeys.keys()], ['ed25519:1', 'ed25519:b']);
  assert.deepEqual(parsed.keys.oldVerifyKeys.get('ed25519:0ldK3y'), { key: jkiPublicKey, expiredTs: 1532645052628 });
  assert.equal(parsed.keys.validUntilTs, 1652262000000);
});

void test('a real 2016 response from jki.re passes its self-signature check', () => {
  const parsed = parseServerKeys(jkiServerKeys, 'jki.re');
  assert.ok(parsed.ok, reason(parsed));
  assert.equal(parsed.keys.verifyKeys.get('ed25519:auto'), jkiPublicKey);
});

void test('the spec example response (placeholder keys and signature) is refused', () => {
  const example = {
    server_name: 'example.org',
    verify_keys: { 'ed25519:abc123': { key: 'VGhpcyBzaG91bGQgYmUgYSByZWFsIGVkMjU1MTkgcGF5bG9hZA' } },
    old_verify_keys: {
      'ed25519:0ldk3y': { expired_ts: 1532645052628, key: 'VGhpcyBzaG91bGQgYmUgeW91ciBvbGQga2V5J3MgZWQyNTUxOSBwYXlsb2FkLg' },
    },
    signatures: { 'example.org': { 'ed25519:auto2': 'VGhpcyBzaG91bGQgYWN0dWFsbHkgYmUgYSBzaWduYXR1cmU' } },
    valid_until_ts: 1652262000000,
  };
  // "This should be a real ed25519 payload" is 36 bytes, not a 32-byte key
  assert.equal(reason(parseServerKeys(example)), 'verify_keys.ed25519:abc123 has no valid key');
});

void test('malformed or unsigned responses are refused with a reason', () => {
  const good = buildServerKeys({ serverName: 's', signingKeys: [specKey], validUntilTs: 5 });
  const sigs = good.signatures;
  const cases: [unknown, string][] = [
    [[], 'not a JSON object'],
    [{ ...good, server_name: 1 }, 'server_name is missing'],
    [{ ...good, valid_until_ts: 1.5 }, 'valid_until_ts is not an integer'],
    [{ ...good, verify_keys: [] }, 'verify_keys is not an object'],
    [{ ...good, old_verify_keys: { 'ed25519:x': { key: jkiPublicKey } } }, 'old_verify_keys.ed25519:x.expired_ts is not an integer'],
    [{ ...good, old_verify_keys: 'x' }, 'old_verify_keys is not an object'],
    [{ ...good, signatures: {} }, 'not signed by s'],
    [{ ...good, signatures: { s: { 'ed25519:other': 'x' } } }, "not signed by any of s's verify_keys"],
    [{ ...good, valid_until_ts: 6 }, 'bad signature from s ed25519:1'],
  ];
  for (const [json, expected] of cases) assert.equal(reason(parseServerKeys(json)), expected);
  assert.equal(reason(parseServerKeys(good, 't')), 'server_name is s, expected t');
  assert.equal(reason(parseServerKeys({ ...good, signatures: sigs })), 'ok');
});

void test('unknown algorithms are skipped; extra notary signatures are ignored', () => {
  const notary = generateSigningKey('n');
  let body = buildServerKeys({ serverName: 's', signingKeys: [specKey], validUntilTs: 5 });
  body = { ...body, verify_keys: { ...(body.verify_keys as JsonObject), 'curve25519:x': { key: 'nonsense' } } };
  body = signJson(body, 's', specKey);
  body = signJson(body, 'notary.example', notary);
  const parsed = parseServerKeys(body, 's');
  assert.ok(parsed.ok, reason(parsed));
  assert.deepEqual([...parsed.keys.verifyKeys.keys()], ['ed25519:1']);
});

void test('effectiveValidUntil caps validity at seven days after fetching', () => {
  assert.equal(effectiveValidUntil(1000, 0), 1000);
  assert.equal(effectiveValidUntil(Number.MAX_SAFE_INTEGER, 50), 50 + MAX_KEY_VALIDITY_MS);
});
