import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareBinding, EMPTY_BODY_HASH, requestBinding, storedBinding } from './uia-request-binding.js';

const url = '/_matrix/client/v3/delete_devices?x=1';
const body = { devices: ['A', 'B'], auth: { type: 'm.login.password' } };
const bound = requestBinding('POST', url, body, '@u:hs');

describe('UIA request binding', () => {
  it('binds method, path without query, requester and body without auth', () => {
    assert.equal(bound.uri, '/_matrix/client/v3/delete_devices');
    assert.equal(bound.method, 'POST');
    assert.equal(bound.userId, '@u:hs');
    assert.equal(requestBinding('POST', url, { devices: ['A', 'B'] }, '@u:hs').bodyHash, bound.bodyHash, 'auth is ignored');
    assert.equal(requestBinding('POST', url, {}, '').bodyHash, EMPTY_BODY_HASH);
  });

  it('sees the same request as the same, whatever the key order', () => {
    const a = requestBinding('POST', '/p', { x: 1, y: { b: 2, a: 1 } }, '');
    const b = requestBinding('POST', '/p', { y: { a: 1, b: 2 }, x: 1 }, '');
    assert.equal(compareBinding(a, b), 'same');
  });

  it('sees any other method, path, user or body as changed', () => {
    assert.equal(compareBinding(bound, requestBinding('PUT', url, body, '@u:hs')), 'changed');
    assert.equal(compareBinding(bound, requestBinding('POST', '/_matrix/client/v3/devices/A', body, '@u:hs')), 'changed');
    assert.equal(compareBinding(bound, requestBinding('POST', url, body, '@other:hs')), 'changed');
    assert.equal(compareBinding(bound, requestBinding('POST', url, { devices: ['C'] }, '@u:hs')), 'changed');
    assert.equal(compareBinding(bound, requestBinding('POST', url, {}, '@u:hs')), 'changed');
  });

  it('lets a session begun by an empty probe take the real body once', () => {
    const probe = requestBinding('POST', '/_matrix/client/v3/register', {}, '');
    const real = requestBinding('POST', '/_matrix/client/v3/register', { username: 'u', password: 'p' }, '');
    assert.equal(compareBinding(probe, real), 'rebind');
    assert.equal(compareBinding(real, probe), 'changed');
  });

  it('reads back a stored binding and rejects malformed ones', () => {
    assert.deepEqual(storedBinding(JSON.parse(JSON.stringify(bound))), bound);
    assert.equal(storedBinding({ method: 'POST', uri: '/x' }), undefined);
    assert.equal(storedBinding('nope'), undefined);
  });
});
