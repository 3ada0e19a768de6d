import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError } from '../../internal/config/config-error.js';
import { generateSigningKey } from '../../matrix/signing-key.js';
import { oldSigningKeysFromConfig } from './old-signing-keys.js';

const K1 = generateSigningKey('a_1').publicKeyBase64;
const K2 = generateSigningKey('b_2').publicKeyBase64;

it('reads old keys in key ID order', () => {
  assert.deepEqual(oldSigningKeysFromConfig({ 'ed25519:b_2': { key: K2, expired_ts: 20 }, 'ed25519:a_1': { key: K1, expired_ts: 10 } }), [
    { keyId: 'ed25519:a_1', key: K1, expiredTs: 10 },
    { keyId: 'ed25519:b_2', key: K2, expiredTs: 20 },
  ]);
  assert.deepEqual(oldSigningKeysFromConfig({}), []);
});

it('refuses a malformed key ID or key, naming the config key', () => {
  assert.throws(() => oldSigningKeysFromConfig({ 'rsa:x': { key: K1, expired_ts: 1 } }), (e: unknown) => e instanceof ConfigError && /old_signing_keys\.rsa:x: not an ed25519 key ID/.test(e.message));
  assert.throws(() => oldSigningKeysFromConfig({ 'ed25519:x': { key: 'c2hvcnQ', expired_ts: 1 } }), (e: unknown) => e instanceof ConfigError && /old_signing_keys\.ed25519:x: not an unpadded base64 ed25519 public key/.test(e.message));
});
