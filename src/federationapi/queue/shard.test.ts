import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkShard, fnv1a32, ownsDestination } from './shard.js';

describe('destination sharding', () => {
  it('hashes with 32-bit FNV-1a over UTF-8', () => {
    // Reference vectors of the FNV specification.
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
    // Non-ASCII names hash their UTF-8 bytes, not UTF-16 code units.
    assert.equal(fnv1a32('é'), fnv1a32('\u00e9'));
    assert.notEqual(fnv1a32('é'), fnv1a32('\u00e9'.normalize('NFD')));
  });

  it('gives every destination to exactly one instance', () => {
    const names = Array.from({ length: 200 }, (_, i) => `server${i}.test`);
    for (const count of [1, 2, 3, 7]) {
      const owners = names.map((n) => [...Array(count).keys()].filter((index) => ownsDestination(n, { index, count })));
      assert.ok(owners.every((o) => o.length === 1));
      assert.deepEqual(owners.map((o) => o[0]), names.map((n) => fnv1a32(n) % count));
      // Roughly even: every instance gets some.
      for (let i = 0; i < count; i++) assert.ok(owners.filter((o) => o[0] === i).length > 200 / count / 2);
    }
    assert.equal(ownsDestination('any.test', undefined), true);
  });

  it('refuses a shard that can own nothing', () => {
    assert.doesNotThrow(() => checkShard({ index: 2, count: 3 }));
    assert.throws(() => checkShard({ index: 3, count: 3 }), /0 ≤ index < count/);
    assert.throws(() => checkShard({ index: -1, count: 3 }), /0 ≤ index < count/);
    assert.throws(() => checkShard({ index: 0, count: 0 }), /0 ≤ index < count/);
    assert.throws(() => checkShard({ index: 0.5, count: 2 }), /0 ≤ index < count/);
  });
});
