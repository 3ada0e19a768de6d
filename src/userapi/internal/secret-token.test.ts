import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashSecret, newDeviceId, newSecretToken, randomString } from './secret-token.js';

describe('secret tokens', () => {
  it('carry 256 random bits after their prefix', () => {
    const t = newSecretToken('axa_');
    assert.match(t, /^axa_[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(t.slice(4), 'base64url').length, 32);
    assert.notEqual(newSecretToken('axa_'), t);
  });

  it('are stored as their SHA-256 in hex', () => {
    assert.equal(hashSecret('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('draws device IDs and strings from the alphabet', () => {
    assert.match(newDeviceId(), /^[A-Z]{10}$/);
    assert.equal(randomString(50, 'ab').replace(/[ab]/g, ''), '');
    assert.equal(randomString(0, 'ab'), '');
  });
});
