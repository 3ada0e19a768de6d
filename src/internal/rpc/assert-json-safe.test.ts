import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotJsonSafeError, assertJsonSafe, jsonRoundTrip } from './assert-json-safe.js';

function offence(value: unknown, root = 'req'): { path: string; reason: string } {
  try {
    assertJsonSafe(value, root);
  } catch (e) {
    assert.ok(e instanceof NotJsonSafeError);
    return { path: e.path, reason: e.reason };
  }
  return assert.fail('expected NotJsonSafeError');
}

describe('assertJsonSafe', () => {
  it('accepts plain JSON data, including null-prototype objects and undefined properties', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.x = [1, 'two', null, true, { y: -0.5 }];
    for (const v of [null, 0, -1e308, '', 'ü', false, [], {}, bare, { a: undefined, b: [[[]]] }]) {
      assert.doesNotThrow(() => assertJsonSafe(v));
    }
  });

  it('accepts a value shared twice (a DAG), which is not a cycle', () => {
    const shared = { n: 1 };
    assert.doesNotThrow(() => assertJsonSafe({ a: shared, b: [shared, shared] }));
  });

  it('names the path of the first offending value', () => {
    assert.deepEqual(offence({ rooms: [{ ts: 1 }, { ts: NaN }] }), { path: 'req.rooms[1].ts', reason: 'non-finite number NaN' });
    assert.deepEqual(offence({ 'm.key': { 'with space': Infinity } }), {
      path: 'req["m.key"]["with space"]',
      reason: 'non-finite number Infinity',
    });
  });

  it('rejects class instances by name', () => {
    assert.deepEqual(offence({ b: Buffer.from('x') }), { path: 'req.b', reason: 'instance of Buffer' });
    assert.deepEqual(offence({ m: new Map() }), { path: 'req.m', reason: 'instance of Map' });
    assert.deepEqual(offence({ s: new Set([1]) }), { path: 'req.s', reason: 'instance of Set' });
    assert.deepEqual(offence({ d: new Date(0) }), { path: 'req.d', reason: 'instance of Date' });
    assert.deepEqual(offence({ e: new Error('x') }), { path: 'req.e', reason: 'instance of Error' });
    assert.deepEqual(offence({ u: new Uint8Array(1) }), { path: 'req.u', reason: 'instance of Uint8Array' });
    class Thing {}
    assert.deepEqual(offence([new Thing()]), { path: 'req[0]', reason: 'instance of Thing' });
    class List extends Array<number> {}
    assert.deepEqual(offence({ l: List.from([1]) }), { path: 'req.l', reason: 'array subclass' });
  });

  it('rejects undefined at the root and in arrays, and holes', () => {
    assert.deepEqual(offence(undefined), { path: 'req', reason: 'undefined' });
    assert.deepEqual(offence({ a: [1, undefined] }), { path: 'req.a[1]', reason: 'undefined in an array' });
    // eslint-disable-next-line no-sparse-arrays
    assert.deepEqual(offence({ a: [1, , 3] }), { path: 'req.a[1]', reason: 'hole in an array' });
  });

  it('rejects bigints, functions, symbols and symbol keys', () => {
    assert.deepEqual(offence({ n: 1n }), { path: 'req.n', reason: 'bigint' });
    assert.deepEqual(offence({ toJSON: () => 1 }), { path: 'req.toJSON', reason: 'function' });
    assert.deepEqual(offence({ s: Symbol('x') }), { path: 'req.s', reason: 'symbol' });
    assert.deepEqual(offence({ [Symbol('k')]: 1 }), { path: 'req', reason: 'symbol keys' });
  });

  it('rejects cycles', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    assert.deepEqual(offence(a), { path: 'req.self.back', reason: 'cycle' });
  });

  it('defaults the root name to $', () => {
    assert.throws(() => assertJsonSafe([NaN]), (e: unknown) => e instanceof NotJsonSafeError && e.path === '$[0]');
  });
});

describe('jsonRoundTrip', () => {
  it('copies deeply and keeps undefined as undefined', () => {
    const v = { a: [1, { b: 'c' }], gone: undefined };
    const c = jsonRoundTrip(v);
    assert.deepEqual(c, { a: [1, { b: 'c' }] });
    assert.notEqual(c.a, v.a);
    assert.equal(jsonRoundTrip(undefined), undefined);
  });
});
