import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { hashPassword, verifyPassword } from './password-hash.js';

describe('password hashing', () => {
  it('hashes with argon2id and the OWASP parameters, salted', async () => {
    const a = await hashPassword('hunter2');
    const b = await hashPassword('hunter2');
    assert.match(a, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('hunter2', a), true);
    assert.equal(await verifyPassword('hunter3', a), false);
  });

  it('verifies bcrypt hashes imported from Synapse ($2a$, $2b$, $2y$)', async () => {
    const h = bcrypt.hashSync('from synapse', 4);
    assert.equal(await verifyPassword('from synapse', h), true);
    assert.equal(await verifyPassword('from synapse', h.replace(/^\$2[ab]\$/, '$2y$')), true);
    assert.equal(await verifyPassword('not it', h), false);
  });

  it('normalises to NFKC on both sides', async () => {
    const h = await hashPassword('ﬁ'); // U+FB01, NFKC "fi"
    assert.equal(await verifyPassword('fi', h), true);
    assert.equal(await verifyPassword('é', await hashPassword('e\u0301')), true);
  });

  it('never matches without a hash, with an unknown scheme or a corrupt hash', async () => {
    assert.equal(await verifyPassword('', null), false);
    assert.equal(await verifyPassword('x', undefined), false);
    assert.equal(await verifyPassword('x', 'x'), false);
    assert.equal(await verifyPassword('x', '$argon2id$v=19$garbage'), false);
  });
});
