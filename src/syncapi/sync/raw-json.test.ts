import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRawJson, rawJson, rawText, stringifyWithRaw } from './raw-json.js';

describe('raw JSON splicing', () => {
  it('writes stored text as it is and everything else as JSON.stringify does', () => {
    const value = { a: [rawJson('{"x":1}'), { b: 'c' }, null], n: 1.5, skip: undefined, s: 'é"\n', e: {}, l: [] };
    assert.equal(stringifyWithRaw(value), '{"a":[{"x":1},{"b":"c"},null],"n":1.5,"s":"é\\"\\n","e":{},"l":[]}');
    assert.deepEqual(JSON.parse(stringifyWithRaw(value)), { a: [{ x: 1 }, { b: 'c' }, null], n: 1.5, s: 'é"\n', e: {}, l: [] });
    assert.equal(stringifyWithRaw(rawJson('[1,2]')), '[1,2]');
    assert.equal(rawText(rawJson('true')), 'true');
    assert.equal(isRawJson({ raw: 'x' }), false);
  });

  it('cannot be tricked by strings that look like placeholders', () => {
    const value = { s: '\u00000', t: rawJson('{"ok":true}') };
    assert.deepEqual(JSON.parse(stringifyWithRaw(value)), { s: '\u00000', t: { ok: true } });
  });
});
