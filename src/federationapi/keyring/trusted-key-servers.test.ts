import assert from 'node:assert/strict';
import test from 'node:test';
import { ConfigError } from '../../internal/config/config-error.js';
import { generateSigningKey } from '../../matrix/signing-key.js';
import { trustedKeyServersFromConfig } from './trusted-key-servers.js';

void test('reads configured notaries and their keys', () => {
  const k = generateSigningKey('auto');
  const out = trustedKeyServersFromConfig([{ server_name: 'notary.test', verify_keys: { [k.keyId]: k.publicKeyBase64 } }]);
  assert.deepEqual(out, [{ serverName: 'notary.test', verifyKeys: new Map([[k.keyId, k.publicKeyBase64]]) }]);
  assert.deepEqual(trustedKeyServersFromConfig([]), []);
});

void test('refuses a notary without keys, a bad key ID or a bad key', () => {
  assert.throws(() => trustedKeyServersFromConfig([{ server_name: 'n.test', verify_keys: {} }]), ConfigError);
  assert.throws(() => trustedKeyServersFromConfig([{ server_name: 'n.test', verify_keys: { 'curve:x': 'AAAA' } }]), ConfigError);
  assert.throws(() => trustedKeyServersFromConfig([{ server_name: 'n.test', verify_keys: { 'ed25519:a': 'AAAA' } }]), /not an unpadded base64 ed25519 public key/);
});
