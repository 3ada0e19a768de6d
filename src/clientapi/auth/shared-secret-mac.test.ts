import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registrationMac, verifyRegistrationMac } from './shared-secret-mac.js';

// Expected values computed independently with Python's hmac module, as Synapse does.
const SECRET = 'a-shared-secret-of-some-length';
const plain = { nonce: 'abcdef0123', username: 'alice', password: 'wonderland', admin: false };
const typed = { nonce: 'abcdef0123', username: 'Bob', password: 'päss', admin: true, userType: 'bot' };

describe('shared-secret registration MAC', () => {
  it('is HMAC-SHA1 over nonce, username, password and admin flag joined by NUL', () => {
    assert.equal(registrationMac(SECRET, plain), '2423759180f78ee6a2d3f865995dee7e181a5a77');
  });

  it('appends the user type when given, and hashes text as UTF-8', () => {
    assert.equal(registrationMac(SECRET, typed), '442a7eb073e37a9070a5ea1635423835f46871ef');
  });

  it('verifies the right MAC (in either hex case) and rejects anything else', () => {
    assert.equal(verifyRegistrationMac(SECRET, plain, '2423759180f78ee6a2d3f865995dee7e181a5a77'), true);
    assert.equal(verifyRegistrationMac(SECRET, plain, '2423759180F78EE6A2D3F865995DEE7E181A5A77'), true);
    assert.equal(verifyRegistrationMac(SECRET, { ...plain, admin: true }, '2423759180f78ee6a2d3f865995dee7e181a5a77'), false);
    assert.equal(verifyRegistrationMac('another-secret-entirely', plain, '2423759180f78ee6a2d3f865995dee7e181a5a77'), false);
    assert.equal(verifyRegistrationMac(SECRET, plain, '2423759180f78ee6'), false, 'a prefix is not the MAC');
    assert.equal(verifyRegistrationMac(SECRET, plain, ''), false);
  });
});
