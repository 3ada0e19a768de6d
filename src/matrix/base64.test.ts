import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url, tryDecodeBase64 } from './base64.js';
import { MatrixError } from '../internal/errors/matrix-error.js';

// The spec appendix's table for UNPADDED_BASE64.
const vectors: [string, string][] = [
  ['', ''],
  ['f', 'Zg'],
  ['fo', 'Zm8'],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg'],
  ['fooba', 'Zm9vYmE'],
  ['foobar', 'Zm9vYmFy'],
];

void test('encodeBase64 matches the spec examples', () => {
  for (const [plain, encoded] of vectors) assert.equal(encodeBase64(Buffer.from(plain)), encoded);
});

void test('decodeBase64 reverses the spec examples, with and without padding', () => {
  for (const [plain, encoded] of vectors) {
    assert.equal(decodeBase64(encoded).toString(), plain);
    const padded = encoded + '='.repeat((4 - (encoded.length % 4)) % 4);
    assert.equal(decodeBase64(padded).toString(), plain);
  }
});

void test('the two alphabets differ in characters 62 and 63', () => {
  const bytes = Uint8Array.from([0xfb, 0xff, 0xbf]);
  assert.equal(encodeBase64(bytes), '+/+/');
  assert.equal(encodeBase64Url(bytes), '-_-_');
  assert.deepEqual([...decodeBase64Url('-_-_')], [0xfb, 0xff, 0xbf]);
  assert.deepEqual([...decodeBase64('+/+/')], [0xfb, 0xff, 0xbf]);
});

void test('encoders accept a Uint8Array view with an offset', () => {
  const backing = Uint8Array.from([0, 0x66, 0x6f, 0x6f, 0]);
  assert.equal(encodeBase64(backing.subarray(1, 4)), 'Zm9v');
  assert.equal(encodeBase64Url(backing.subarray(1, 3)), 'Zm8');
});

void test('decoding rejects malformed input', () => {
  for (const bad of ['Zm9v!', 'Z', 'Zm9vY', 'Zg=', 'Zm8==', 'Zg===', 'Zm 9v', '=Zg', 'Zm9v-_']) {
    assert.throws(() => decodeBase64(bad), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_BAD_JSON', bad);
    assert.equal(tryDecodeBase64(bad), undefined, bad);
  }
  assert.throws(() => decodeBase64Url('+/+/'), MatrixError);
});

void test('tryDecodeBase64 decodes valid input', () => {
  assert.equal(tryDecodeBase64('Zm9vYmE')?.toString(), 'fooba');
});
