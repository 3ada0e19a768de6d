import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import {
  formatSigningKey,
  generateSigningKey,
  parseSigningKeyFile,
  signingKeyFromSeed,
} from './signing-key.js';
import { decodeBase64 } from './base64.js';
import { ed25519Sign } from './ed25519.js';

/** The spec appendix's test seed ("Cryptographic Test Vectors › Signing Key"). */
const SEED_B64 = 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1';

void test('the spec test seed gives key ID ed25519:1 and a working key pair', () => {
  const key = signingKeyFromSeed(decodeBase64(SEED_B64), '1');
  assert.equal(key.keyId, 'ed25519:1');
  assert.equal(key.publicKey.length, 32);
  // The public key other implementations derive from this seed (ruma-signatures' test constant).
  assert.equal(key.publicKeyBase64, 'XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI');
  // Cross-check libsodium against OpenSSL: a signature we make verifies with Node's crypto.
  const sig = ed25519Sign(Buffer.from('hi'), key.secretKey);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.publicKey]);
  const nodeKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  assert.ok(verify(null, Buffer.from('hi'), nodeKey, sig));
  assert.ok(!verify(null, Buffer.from('ho'), nodeKey, sig));
});

void test('key file lines round-trip', () => {
  const key = signingKeyFromSeed(decodeBase64(SEED_B64), 'a_AbCd');
  const line = formatSigningKey(key);
  // The spec's seed has non-zero trailing bits ("…A1"); re-encoding gives the canonical "…A0".
  assert.equal(line, 'ed25519 a_AbCd YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0');
  const [back, ...rest] = parseSigningKeyFile(`\n${line}\r\n\n`);
  assert.equal(rest.length, 0);
  assert.equal(back?.keyId, 'ed25519:a_AbCd');
  assert.equal(back?.publicKeyBase64, key.publicKeyBase64);
});

void test('key files may hold several keys; padded seeds are accepted', () => {
  const keys = parseSigningKeyFile(`ed25519 one ${SEED_B64}=\ned25519 two ${SEED_B64}\n`);
  assert.deepEqual(
    keys.map((k) => k.keyId),
    ['ed25519:one', 'ed25519:two'],
  );
});

void test('bad key file lines are rejected with the line number', () => {
  assert.throws(() => parseSigningKeyFile(`curve25519 1 ${SEED_B64}`), /line 1/);
  assert.throws(() => parseSigningKeyFile(`\ned25519 1 Zm9v`), /line 2: An ed25519 seed is 32 bytes, got 3/);
  assert.throws(() => parseSigningKeyFile(`ed25519 bad-version ${SEED_B64}`), /Invalid key version/);
  assert.throws(() => parseSigningKeyFile(`ed25519 1 !!!`), /line 1/);
  assert.throws(() => parseSigningKeyFile('ed25519 1'), /line 1/);
});

void test('generated keys are random and have a valid version', () => {
  const a = generateSigningKey();
  const b = generateSigningKey();
  assert.match(a.version, /^a_[a-zA-Z0-9]{4}$/);
  assert.notEqual(a.publicKeyBase64, b.publicKeyBase64);
  assert.equal(generateSigningKey('abc').keyId, 'ed25519:abc');
});

void test('seeds of the wrong length are rejected', () => {
  assert.throws(() => signingKeyFromSeed(new Uint8Array(31), 'x'), /32 bytes/);
});
