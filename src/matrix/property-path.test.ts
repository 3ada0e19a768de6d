import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupProperty, splitPropertyPath } from './property-path.js';

describe('splitPropertyPath', () => {
  it('splits on dots', () => {
    assert.deepEqual(splitPropertyPath('content.body'), ['content', 'body']);
    assert.deepEqual(splitPropertyPath('type'), ['type']);
  });

  it("unescapes the spec's examples", () => {
    assert.deepEqual(splitPropertyPath('content.m\\.relates_to'), ['content', 'm.relates_to']);
    assert.deepEqual(splitPropertyPath('content.m\\\\foo'), ['content', 'm\\foo']);
    assert.deepEqual(splitPropertyPath('content.m\\.mentions.user_ids'), ['content', 'm.mentions', 'user_ids']);
  });

  it('keeps other escapes as they are', () => {
    assert.deepEqual(splitPropertyPath('content.a\\x'), ['content', 'a\\x']);
    assert.deepEqual(splitPropertyPath('content.a\\'), ['content', 'a\\']);
  });

  it('an escaped backslash before a dot still splits', () => {
    assert.deepEqual(splitPropertyPath('a\\\\.b'), ['a\\', 'b']);
  });

  it('keeps empty names', () => {
    assert.deepEqual(splitPropertyPath('a..b'), ['a', '', 'b']);
    assert.deepEqual(splitPropertyPath(''), ['']);
  });
});

describe('lookupProperty', () => {
  const event = { content: { 'm.relates_to': { rel_type: 'm.replace' }, list: [{ a: 1 }], n: null } };

  it('walks nested objects', () => {
    assert.equal(lookupProperty(event, ['content', 'm.relates_to', 'rel_type']), 'm.replace');
    assert.equal(lookupProperty(event, ['content', 'n']), null);
  });

  it('answers undefined for missing steps and non-objects', () => {
    assert.equal(lookupProperty(event, ['content', 'm', 'relates_to']), undefined);
    assert.equal(lookupProperty(event, ['content', 'list', '0', 'a']), undefined, 'arrays are not indexed');
    assert.equal(lookupProperty(event, ['content', 'n', 'x']), undefined);
  });

  it('never reaches the prototype', () => {
    assert.equal(lookupProperty(event, ['constructor']), undefined);
    assert.equal(lookupProperty(event, ['content', '__proto__']), undefined);
    assert.equal(lookupProperty(event, ['content', 'hasOwnProperty']), undefined);
  });
});

describe('splitPropertyPath: event_fields paths', () => {
  const cases: Array<[string, string[]]> = [
    ['type', ['type']],
    ['content.body', ['content', 'body']],
    ['content.m\\.relates_to', ['content', 'm.relates_to']],
    ['content.m\\.relates_to.rel_type', ['content', 'm.relates_to', 'rel_type']],
    ['content.m\\\\foo', ['content', 'm\\foo']],
    ['content.m\\xfoo', ['content', 'm\\xfoo']],
    ['content.a\\', ['content', 'a\\']],
    ['a..b', ['a', '', 'b']],
    ['', ['']],
    ['\\\\.x', ['\\', 'x']],
  ];
  for (const [path, parts] of cases) {
    it(`${JSON.stringify(path)} → ${JSON.stringify(parts)}`, () => {
      assert.deepEqual(splitPropertyPath(path), parts);
    });
  }
});
