import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { checkServerAcl, requireServerAllowedByAcl } from './server-acl-check.js';

const ROOM = '!room:example.org';
const acl: JsonObject = { allow: ['*'], deny: ['*.Evil.COM', 'evil.com'], allow_ip_literals: false };

describe('checkServerAcl', () => {
  it('allows every server in a room without an ACL', () => {
    assert.deepEqual(checkServerAcl('anyone.example', undefined, ROOM), { allowed: true });
  });

  it('allows servers the ACL allows and names the denied origin and room', () => {
    assert.deepEqual(checkServerAcl('good.example:8448', acl, ROOM), { allowed: true });
    assert.deepEqual(checkServerAcl('evil.com', acl, ROOM), {
      allowed: false,
      reason: 'Server evil.com is denied by the server ACL of room !room:example.org',
    });
    assert.equal(checkServerAcl('1.2.3.4:8448', acl, ROOM).allowed, false);
  });

  it('matches case-insensitively (spec v1.19), in both the pattern and the origin', () => {
    for (const origin of ['matrix.evil.com', 'MATRIX.EVIL.COM', 'Matrix.Evil.Com:8448', 'EVIL.com']) {
      assert.equal(checkServerAcl(origin, acl, ROOM).allowed, false, origin);
    }
    assert.equal(checkServerAcl('Good.Example', { allow: ['good.example'] }, ROOM).allowed, true);
    assert.equal(checkServerAcl('other.example', { allow: ['GOOD.example'] }, ROOM).allowed, false);
  });

  it('denies everyone when the ACL allows nobody', () => {
    assert.equal(checkServerAcl('good.example', {}, ROOM).allowed, false);
  });
});

describe('requireServerAllowedByAcl', () => {
  it('returns for an allowed origin and throws 403 M_FORBIDDEN for a denied one', () => {
    assert.doesNotThrow(() => requireServerAllowedByAcl('good.example', acl, ROOM));
    assert.throws(
      () => requireServerAllowedByAcl('sub.evil.com', acl, ROOM),
      (e: unknown) =>
        e instanceof MatrixError &&
        e.status === 403 &&
        e.errcode === 'M_FORBIDDEN' &&
        e.message === 'Server sub.evil.com is denied by the server ACL of room !room:example.org',
    );
  });
});
