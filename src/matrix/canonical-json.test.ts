import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, canonicalJsonByteLength, compareCodePoints } from './canonical-json.js';
import { MatrixError } from '../internal/errors/matrix-error.js';
import type { JsonValue } from './json.js';

// Every example from the spec appendix "Canonical JSON › Examples", as (input text, output).
const specExamples: [string, string][] = [
  ['{}', '{}'],
  ['{\n "one": 1,\n "two": "Two"\n}', '{"one":1,"two":"Two"}'],
  ['{\n "b": "2",\n "a": "1"\n}', '{"a":"1","b":"2"}'],
  ['{"b":"2","a":"1"}', '{"a":"1","b":"2"}'],
  [
    `{"auth": {"success": true, "mxid": "@john.doe:example.com", "profile": {"display_name": "John Doe",
      "three_pids": [{"medium": "email", "address": "john.doe@example.org"},
                     {"medium": "msisdn", "address": "123456789"}]}}}`,
    '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}',
  ],
  ['{"a": "日本語"}', '{"a":"日本語"}'],
  ['{"本": 2, "日": 1}', '{"日":1,"本":2}'],
  ['{"a": "\\u65E5"}', '{"a":"日"}'],
  ['{"a": null}', '{"a":null}'],
  ['{"a": -0, "b": 1e10}', '{"a":0,"b":10000000000}'],
];

void test('canonicalJson reproduces every spec appendix example', () => {
  for (const [input, expected] of specExamples) {
    assert.equal(canonicalJson(JSON.parse(input) as JsonValue), expected);
  }
});

void test('strings carry only the escapes the grammar requires', () => {
  const s = '"\\\b\t\n\f\r\u0000\u0001\u001f\u007f\u2028/é😀';
  assert.equal(canonicalJson(s), '"\\"\\\\\\b\\t\\n\\f\\r\\u0000\\u0001\\u001f\u007f\u2028/é😀"');
  assert.equal(canonicalJson('plain'), '"plain"');
});

void test('scalars, arrays and nesting', () => {
  assert.equal(canonicalJson([1, 'a', true, false, null, [], {}, [[-5]]]), '[1,"a",true,false,null,[],{},[[-5]]]');
  assert.equal(canonicalJson({ z: { y: [{ b: 1, a: 2 }] }, a: [] }), '{"a":[],"z":{"y":[{"a":2,"b":1}]}}');
});

void test('keys sort by code point, not by UTF-16 code unit', () => {
  // U+FFFD sorts before U+1F600 by code point; as UTF-16 the surrogate 0xD83D sorts first.
  const v = { '\u{1F600}': 1, '\uFFFD': 2, a: 3 };
  assert.equal(canonicalJson(v), '{"a":3,"\uFFFD":2,"\u{1F600}":1}');
  assert.ok(compareCodePoints('\uFFFD', '\u{1F600}') < 0);
  assert.ok(compareCodePoints('ab', 'a') > 0);
  assert.equal(compareCodePoints('x\u{1F600}', 'x\u{1F600}'), 0);
});

void test('integer bounds are ±(2^53 - 1) in strict mode', () => {
  assert.equal(canonicalJson(9007199254740991), '9007199254740991');
  assert.equal(canonicalJson(-9007199254740991), '-9007199254740991');
  for (const bad of [9007199254740992, -9007199254740992, 1.5, 1e300]) {
    assert.throws(() => canonicalJson(bad), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_BAD_JSON');
  }
});

void test('floats name their path in the error', () => {
  assert.throws(
    () => canonicalJson({ content: { users: { '@bob:x': 50.57 } } }),
    (e: unknown) => e instanceof MatrixError && e.errcode === 'M_BAD_JSON' && e.message === 'float 50.57 is not allowed at content.users.@bob:x',
  );
  assert.throws(
    () => canonicalJson({ a: [1, 2, 2 ** 60] }),
    (e: unknown) => e instanceof MatrixError && /outside .* at a\[2\]$/.test(e.message),
  );
});

void test('non-strict mode (room versions 1–5) writes floats and large integers', () => {
  const opts = { strict: false };
  assert.equal(canonicalJson({ b: 50.57, a: 2 ** 60, c: 1e21, d: -0 }, opts), '{"a":1152921504606846976,"b":50.57,"c":1000000000000000000000,"d":0}');
  assert.throws(() => canonicalJson(Number.NaN, opts), MatrixError);
  assert.throws(() => canonicalJson(Number.POSITIVE_INFINITY, opts), MatrixError);
});

void test('lone surrogates cannot be encoded as UTF-8 and are rejected', () => {
  assert.throws(() => canonicalJson({ a: 'x\ud800' }), (e: unknown) => e instanceof MatrixError && e.message.endsWith(' at a'));
  assert.throws(() => canonicalJson({ ['\udc00']: 1 }), MatrixError);
});

void test('non-JSON values are rejected; undefined object members are skipped', () => {
  assert.throws(() => canonicalJson((() => 1) as unknown as JsonValue), MatrixError);
  assert.throws(() => canonicalJson([undefined] as unknown as JsonValue), MatrixError);
  assert.throws(() => canonicalJson(10n as unknown as JsonValue), MatrixError);
  assert.equal(canonicalJson({ a: undefined, b: 1 } as unknown as JsonValue), '{"b":1}');
});

void test('omitKeys leaves out top-level keys only', () => {
  const v = { signatures: { x: 1 }, unsigned: { y: 2 }, a: { signatures: 3 } };
  assert.equal(canonicalJson(v, { omitKeys: ['signatures', 'unsigned'] }), '{"a":{"signatures":3}}');
  // a float inside an omitted key does not matter
  assert.equal(canonicalJson({ unsigned: { f: 0.5 }, a: 1 }, { omitKeys: ['unsigned'] }), '{"a":1}');
});

void test('canonicalJsonByteLength counts UTF-8 bytes', () => {
  assert.equal(canonicalJsonByteLength({ a: '日' }), 11);
});

void test('output round-trips through JSON.parse', () => {
  const v = { m: 'x\u0007y', n: [{ '\u00e9': -12 }], o: { p: null } };
  assert.deepEqual(JSON.parse(canonicalJson(v)), v);
});

void test('absurd nesting is a M_BAD_JSON, not a crash', () => {
  const deep = JSON.parse('['.repeat(30000) + ']'.repeat(30000)) as JsonValue;
  assert.throws(() => canonicalJson(deep), (e: unknown) => e instanceof MatrixError && e.message === 'JSON is nested too deeply');
});

void test('integer-like keys sort as strings, and escaped keys sort by their raw characters', () => {
  assert.equal(canonicalJson({ 9: 'a', 10: 'b', '': 'c' }), '{"":"c","10":"b","9":"a"}');
  assert.equal(canonicalJson({ b: 1, 'a"': 2, a: 3 }), '{"a":3,"a\\"":2,"b":1}');
});
