import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { resolveLoginUser } from './resolve-login-user.js';

const HS = 'hs.test';
const errcode = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof MatrixError) return `${e.status} ${e.errcode}`;
    throw e;
  }
  return 'no error';
};

describe('resolveLoginUser', () => {
  it('accepts a localpart or a full ID in an m.id.user identifier, lower-casing the localpart', () => {
    assert.equal(resolveLoginUser({ identifier: { type: 'm.id.user', user: 'alice' } }, HS), '@alice:hs.test');
    assert.equal(resolveLoginUser({ identifier: { type: 'm.id.user', user: 'ALice' } }, HS), '@alice:hs.test');
    assert.equal(resolveLoginUser({ identifier: { type: 'm.id.user', user: '@Alice:hs.test' } }, HS), '@alice:hs.test');
  });

  it('accepts the deprecated top-level user field', () => {
    assert.equal(resolveLoginUser({ user: 'Bob' }, HS), '@bob:hs.test');
    assert.equal(resolveLoginUser({ user: '@bob:hs.test' }, HS), '@bob:hs.test');
  });

  it('refuses third-party identifiers and users of other servers with 403', () => {
    assert.equal(errcode(() => resolveLoginUser({ identifier: { type: 'm.id.thirdparty', medium: 'email', address: 'a@b' } }, HS)), '403 M_FORBIDDEN');
    assert.equal(errcode(() => resolveLoginUser({ identifier: { type: 'm.id.phone', country: 'GB', phone: '1' } }, HS)), '403 M_FORBIDDEN');
    assert.equal(errcode(() => resolveLoginUser({ medium: 'email', address: 'a@b' }, HS)), '403 M_FORBIDDEN');
    assert.equal(errcode(() => resolveLoginUser({ user: '@alice:elsewhere.test' }, HS)), '403 M_FORBIDDEN');
    assert.equal(errcode(() => resolveLoginUser({ user: '@alice' }, HS)), '403 M_FORBIDDEN');
  });

  it('rejects unknown identifier types and missing users', () => {
    assert.equal(errcode(() => resolveLoginUser({ identifier: { type: 'm.id.carrier_pigeon' } }, HS)), '400 M_UNKNOWN');
    assert.equal(errcode(() => resolveLoginUser({ identifier: { type: 'm.id.user' } }, HS)), '400 M_MISSING_PARAM');
    assert.equal(errcode(() => resolveLoginUser({ identifier: 'alice' }, HS)), '400 M_BAD_JSON');
    assert.equal(errcode(() => resolveLoginUser({}, HS)), '400 M_MISSING_PARAM');
  });
});
