import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenOwner } from '../api.js';
import { createAccessTokenCache } from './access-token-cache.js';

const owner = (userId: string, deviceId: string): TokenOwner => ({ userId, deviceId, isGuest: false, isAdmin: false, appserviceId: null, locked: false, suspended: false });

describe('access-token cache', () => {
  it('forgets entries after the TTL', () => {
    const c = createAccessTokenCache({ ttlMs: 100 });
    c.set('h', { owner: owner('@a:x', 'D'), expiresTs: null }, 1000);
    assert.deepEqual(c.get('h', 1099)?.owner, owner('@a:x', 'D'));
    assert.equal(c.get('h', 1100), undefined);
    assert.equal(c.size, 0);
  });

  it('evicts the least recently used entry beyond its size', () => {
    const c = createAccessTokenCache({ maxEntries: 2 });
    c.set('a', { owner: owner('@a:x', 'A'), expiresTs: null }, 0);
    c.set('b', { owner: owner('@b:x', 'B'), expiresTs: null }, 0);
    assert.ok(c.get('a', 1)); // a is now more recent than b
    c.set('c', { owner: owner('@c:x', 'C'), expiresTs: null }, 1);
    assert.equal(c.get('b', 2), undefined);
    assert.ok(c.get('a', 2));
    assert.ok(c.get('c', 2));
  });

  it('drops a user’s entries, all or by device', () => {
    const c = createAccessTokenCache();
    c.set('1', { owner: owner('@a:x', 'P'), expiresTs: null }, 0);
    c.set('2', { owner: owner('@a:x', 'Q'), expiresTs: null }, 0);
    c.set('3', { owner: owner('@b:x', 'P'), expiresTs: null }, 0);
    c.forgetUser('@a:x', ['P']);
    assert.deepEqual([c.get('1', 1), c.get('2', 1)?.owner.deviceId, c.get('3', 1)?.owner.userId], [undefined, 'Q', '@b:x']);
    c.forgetUser('@a:x');
    assert.equal(c.get('2', 1), undefined);
    assert.equal(c.size, 1);
  });

  it('caches nothing with a size of 0', () => {
    const c = createAccessTokenCache({ maxEntries: 0 });
    c.set('a', { owner: owner('@a:x', 'A'), expiresTs: null }, 0);
    assert.equal(c.get('a', 0), undefined);
  });
});
