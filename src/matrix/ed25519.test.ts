import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify } from './ed25519.js';

describe('ed25519 (libsodium)', () => {
  const { publicKey, secretKey } = ed25519KeyPairFromSeed(Buffer.alloc(32, 7));
  const msg = Buffer.from('{"a":1}');
  const sig = ed25519Sign(msg, secretKey);

  it('verifies its own signatures and rejects altered messages, signatures and keys', () => {
    assert.equal(sig.length, 64);
    assert.equal(ed25519Verify(sig, msg, publicKey), true);
    assert.equal(ed25519Verify(sig, Buffer.from('{"a":2}'), publicKey), false);
    const bad = Buffer.from(sig);
    bad[0] = (bad[0] ?? 0) ^ 1;
    assert.equal(ed25519Verify(bad, msg, publicKey), false);
    assert.equal(ed25519Verify(sig, msg, ed25519KeyPairFromSeed(Buffer.alloc(32, 8)).publicKey), false);
  });

  it('answers false, not an exception, for wrong lengths', () => {
    assert.equal(ed25519Verify(sig.subarray(0, 63), msg, publicKey), false);
    assert.equal(ed25519Verify(sig, msg, publicKey.subarray(0, 31)), false);
    assert.throws(() => ed25519KeyPairFromSeed(Buffer.alloc(31)), /32 bytes/);
  });

  it('works on views into larger buffers', () => {
    const big = Buffer.concat([Buffer.from('xx'), msg, Buffer.from('yy')]);
    const view = big.subarray(2, 2 + msg.length);
    assert.equal(ed25519Verify(sig, view, publicKey), true);
  });
});
