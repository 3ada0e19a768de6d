import assert from 'node:assert/strict';
import test from 'node:test';
import { buildServerKeys } from '../../matrix/server-keys.js';
import { signJson } from '../../matrix/sign-json.js';
import { generateSigningKey } from '../../matrix/signing-key.js';
import { checkNotaryResponse, originSignedOnly } from './check-notary-response.js';

const origin = generateSigningKey('o');
const notaryKey = generateSigningKey('n');
const notary = { serverName: 'notary.test', verifyKeys: new Map([[notaryKey.keyId, notaryKey.publicKeyBase64]]) };
const originJson = buildServerKeys({ serverName: 'origin.test', signingKeys: [origin], validUntilTs: 9_000 });

void test('accepts an origin-signed response the notary signed with its configured key, keeping only the origin signature', () => {
  const third = generateSigningKey('t');
  const answer = signJson(signJson(originJson, 'notary.test', notaryKey), 'third.test', third);
  const r = checkNotaryResponse(answer, notary, 'origin.test');
  assert.ok(r.ok);
  assert.deepEqual(r.keys.json, originJson);
  assert.equal(r.keys.verifyKeys.get(origin.keyId), origin.publicKeyBase64);
});

void test('refuses answers not signed by the notary, signed with an unknown key, or with a bad signature', () => {
  assert.equal(checkNotaryResponse(originJson, notary, 'origin.test').ok, false);
  const wrongKey = signJson(originJson, 'notary.test', generateSigningKey('n'));
  const r1 = checkNotaryResponse(wrongKey, notary, 'origin.test');
  assert.equal(r1.ok, false);
  const tampered = { ...signJson(originJson, 'notary.test', notaryKey), valid_until_ts: 99_999 };
  const r2 = checkNotaryResponse(tampered, notary, 'origin.test');
  assert.deepEqual(r2, { ok: false, reason: `bad signature from notary.test ${notaryKey.keyId}` });
});

void test('refuses keys the origin did not sign itself, or for another server', () => {
  const unsignedByOrigin = signJson({ ...originJson, signatures: {} }, 'notary.test', notaryKey);
  assert.deepEqual(checkNotaryResponse(unsignedByOrigin, notary, 'origin.test'), { ok: false, reason: 'not signed by origin.test' });
  const other = signJson(originJson, 'notary.test', notaryKey);
  assert.deepEqual(checkNotaryResponse(other, notary, 'elsewhere.test'), {
    ok: false,
    reason: 'server_name is origin.test, expected elsewhere.test',
  });
});

void test('originSignedOnly keeps only the named server signatures', () => {
  const both = signJson(originJson, 'notary.test', notaryKey);
  assert.deepEqual(Object.keys(originSignedOnly(both, 'origin.test').signatures as object), ['origin.test']);
  assert.deepEqual(originSignedOnly({ a: 1 }, 'origin.test'), { a: 1, signatures: {} });
});
