import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchableText, searchIndexText } from './searchable-text.js';

describe('searchable text', () => {
  it('message bodies, room names and topics', () => {
    assert.equal(searchableText({ type: 'm.room.message', content: { msgtype: 'm.text', body: 'Hi there' } }), 'Hi there');
    assert.equal(searchableText({ type: 'm.room.name', state_key: '', content: { name: 'Lobby' } }), 'Lobby');
    assert.equal(searchableText({ type: 'm.room.topic', state_key: '', content: { topic: 'Plain' } }), 'Plain');
  });

  it('a topic with m.topic: plain-text representations added once, others left out', () => {
    const content = {
      topic: 'Orchards',
      'm.topic': { 'm.text': [{ mimetype: 'text/html', body: '<b>Orchards</b>' }, { body: 'Orchards' }, { mimetype: 'text/plain', body: 'Apple trees' }, { body: 5 }, 'junk'] },
    };
    assert.equal(searchableText({ type: 'm.room.topic', state_key: '', content }), 'Orchards\nApple trees');
    assert.equal(searchableText({ type: 'm.room.topic', state_key: '', content: { topic: '', 'm.topic': { 'm.text': [{ body: 'Only rich' }] } } }), 'Only rich');
  });

  it('nothing for other types, non-state names and topics, state messages, redacted or odd content', () => {
    assert.equal(searchableText({ type: 'm.room.member', state_key: '@a:hs', content: { displayname: 'A' } }), undefined);
    assert.equal(searchableText({ type: 'm.room.name', state_key: 'x', content: { name: 'N' } }), undefined);
    assert.equal(searchableText({ type: 'm.room.name', content: { name: 'N' } }), undefined);
    assert.equal(searchableText({ type: 'm.room.message', state_key: '', content: { body: 'b' } }), undefined);
    assert.equal(searchableText({ type: 'm.room.message', content: {} }), undefined);
    assert.equal(searchableText({ type: 'm.room.message', content: { body: 7 } }), undefined);
    assert.equal(searchableText({ type: 'm.room.message', content: { body: '' } }), undefined);
    assert.equal(searchableText({ type: 'm.room.message', content: 'x' }), undefined);
    assert.equal(searchableText({ type: 'm.room.encrypted', content: { ciphertext: 'abc' } }), undefined);
  });

  it('the index text: folded words, undefined when there are none', () => {
    assert.equal(searchIndexText({ type: 'm.room.message', content: { body: 'Hello, Wörld!' } }), 'hello world');
    assert.equal(searchIndexText({ type: 'm.room.message', content: { body: '🎉 !!' } }), undefined);
  });
});
