import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRange } from './parse-range.js';

describe('parseRange', () => {
  it('reads single byte ranges, clamping the end', () => {
    assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
    assert.deepEqual(parseRange('bytes=500-', 1000), { start: 500, end: 999 });
    assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999 });
    assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=-5000', 1000), { start: 0, end: 999 });
  });
  it('is unsatisfiable past the end', () => {
    assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 1000), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-', 0), 'unsatisfiable');
  });
  it('ignores what it does not serve: absent, other units, several ranges, reversed', () => {
    assert.equal(parseRange(undefined, 1000), undefined);
    assert.equal(parseRange('items=0-1', 1000), undefined);
    assert.equal(parseRange('bytes=0-1,5-6', 1000), undefined);
    assert.equal(parseRange('bytes=9-3', 1000), undefined);
    assert.equal(parseRange('bytes=-', 1000), undefined);
  });
});
