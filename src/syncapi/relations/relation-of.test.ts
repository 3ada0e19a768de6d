import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import { relationOf } from './relation-of.js';

const msg = (content: JsonObject, extra: JsonObject = {}): JsonObject => ({ type: 'm.room.message', sender: '@a:hs.test', content, ...extra });

describe('relationOf', () => {
  it('reads rel_type and event_id', () => {
    assert.deepEqual(relationOf('$c', msg({ body: 'x', 'm.relates_to': { rel_type: 'm.thread', event_id: '$root', is_falling_back: true } })), {
      relType: 'm.thread',
      parentId: '$root',
    });
    assert.deepEqual(relationOf('$c', msg({ 'm.relates_to': { rel_type: 'org.example.custom', event_id: '$p' } })), { relType: 'org.example.custom', parentId: '$p' });
  });

  it('ignores replies, malformed relations and self-relations', () => {
    assert.equal(relationOf('$c', msg({ 'm.relates_to': { 'm.in_reply_to': { event_id: '$p' } } })), undefined);
    assert.equal(relationOf('$c', msg({ 'm.relates_to': { rel_type: 'm.reference' } })), undefined);
    assert.equal(relationOf('$c', msg({ 'm.relates_to': { rel_type: 'm.reference', event_id: 'not-an-event' } })), undefined);
    assert.equal(relationOf('$c', msg({ 'm.relates_to': { rel_type: '', event_id: '$p' } })), undefined);
    assert.equal(relationOf('$c', msg({ 'm.relates_to': { rel_type: 'x'.repeat(256), event_id: '$p' } })), undefined);
    assert.equal(relationOf('$c', msg({ 'm.relates_to': { rel_type: 'm.reference', event_id: 5 } })), undefined);
    assert.equal(relationOf('$c', msg({ 'm.relates_to': 'x' })), undefined);
    assert.equal(relationOf('$c', msg({ 'm.relates_to': { rel_type: 'm.reference', event_id: '$c' } })), undefined);
    assert.equal(relationOf('$c', { type: 'm.room.message', content: 'x' }), undefined);
  });

  it('keeps an edit only when it can be valid on its own', () => {
    const rel = { rel_type: 'm.replace', event_id: '$p' };
    assert.deepEqual(relationOf('$c', msg({ body: '* y', 'm.new_content': { body: 'y' }, 'm.relates_to': rel })), { relType: 'm.replace', parentId: '$p' });
    assert.equal(relationOf('$c', msg({ body: '* y', 'm.relates_to': rel })), undefined);
    assert.equal(relationOf('$c', msg({ 'm.new_content': { body: 'y' }, 'm.relates_to': rel }, { state_key: '' })), undefined);
    assert.deepEqual(relationOf('$c', { type: 'm.room.encrypted', content: { ciphertext: 'z', 'm.relates_to': rel } }), { relType: 'm.replace', parentId: '$p' });
  });
});
