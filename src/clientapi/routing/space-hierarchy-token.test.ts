import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHierarchyToken, encodeHierarchyToken } from './space-hierarchy-token.js';

describe('hierarchy pagination tokens', () => {
  it('round-trips what the walk depends on', () => {
    const t = { rootId: '!space:example.org', maxDepth: 3, suggestedOnly: true, position: 42 };
    const token = encodeHierarchyToken(t);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeHierarchyToken(token), t);
    assert.deepEqual(decodeHierarchyToken(encodeHierarchyToken({ ...t, suggestedOnly: false, maxDepth: 0, position: 0 })), { ...t, suggestedOnly: false, maxDepth: 0, position: 0 });
  });

  it('refuses what it did not issue', () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      '',
      'not base64!',
      'o12',
      enc({ rootId: '!a', maxDepth: 1, suggestedOnly: false, position: 1 }),
      enc(['!a', 1, 0]),
      enc([5, 1, 0, 1]),
      enc(['!a', -1, 0, 1]),
      enc(['!a', 1, 2, 1]),
      enc(['!a', 1, 0, 1.5]),
      enc(['!a', 1, false, 1]),
      'A'.repeat(3000),
    ]) {
      assert.equal(decodeHierarchyToken(bad), undefined, bad);
    }
  });
});
