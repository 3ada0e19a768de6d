import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import { applyEventFields } from './event-fields.js';

describe('applyEventFields', () => {
  const event: JsonObject = {
    event_id: '$e',
    type: 'm.room.message',
    sender: '@a:hs',
    origin_server_ts: 7,
    content: {
      body: 'hello',
      msgtype: 'm.text',
      'm.relates_to': { rel_type: 'm.thread', event_id: '$root' },
      'm\\foo': 1,
      info: { w: 1, h: 2 },
    },
    unsigned: { age: 5 },
  };

  it('keeps the event as it is without fields or with an empty list', () => {
    assert.equal(applyEventFields(event, undefined), event);
    assert.equal(applyEventFields(event, []), event);
  });

  it('keeps the spec example fields (type, content, sender)', () => {
    assert.deepEqual(applyEventFields(event, ['type', 'content', 'sender']), {
      type: 'm.room.message',
      content: event.content,
      sender: '@a:hs',
    });
  });

  it('copies nested fields with their nesting', () => {
    assert.deepEqual(applyEventFields(event, ['content.body', 'content.info.h', 'event_id']), {
      content: { body: 'hello', info: { h: 2 } },
      event_id: '$e',
    });
  });

  it('follows escaped dots and backslashes', () => {
    assert.deepEqual(applyEventFields(event, ['content.m\\.relates_to.rel_type']), { content: { 'm.relates_to': { rel_type: 'm.thread' } } });
    assert.deepEqual(applyEventFields(event, ['content.m\\\\foo']), { content: { 'm\\foo': 1 } });
  });

  it('skips paths that name nothing', () => {
    assert.deepEqual(applyEventFields(event, ['state_key', 'content.nope', 'content.body.length', 'type.x', 'unsigned.age']), { unsigned: { age: 5 } });
    assert.deepEqual(applyEventFields(event, ['nothing']), {});
  });

  it('merges overlapping paths in either order', () => {
    const expected = { content: event.content };
    assert.deepEqual(applyEventFields(event, ['content', 'content.body']), expected);
    assert.deepEqual(applyEventFields(event, ['content.body', 'content']), expected);
    assert.deepEqual(applyEventFields(event, ['content.info', 'content.info.w', 'content.body']), { content: { info: { w: 1, h: 2 }, body: 'hello' } });
  });

  it('never modifies the input', () => {
    const before = JSON.stringify(event);
    applyEventFields(event, ['content.info', 'content.info.w', 'content.body', 'content', 'content.msgtype']);
    assert.equal(JSON.stringify(event), before);
  });

  it('keeps arrays and nulls whole and does not walk into them', () => {
    const e: JsonObject = { content: { list: [{ a: 1 }], nothing: null } };
    assert.deepEqual(applyEventFields(e, ['content.list', 'content.nothing', 'content.list.0']), { content: { list: [{ a: 1 }], nothing: null } });
  });

  it('treats __proto__ as a field like any other and never touches prototypes', () => {
    const e = JSON.parse('{"content":{"__proto__":{"polluted":true},"body":"x"}}') as JsonObject;
    const out = applyEventFields(e, ['content.__proto__.polluted', 'content.__proto__']);
    assert.equal(JSON.stringify(out), '{"content":{"__proto__":{"polluted":true}}}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out.content), Object.prototype);
    assert.deepEqual(applyEventFields({ content: {} }, ['content.toString', 'constructor']), {});
  });
});
