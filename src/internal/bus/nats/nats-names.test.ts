import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertName, keyToken, topicNames } from './nats-names.js';

describe('topicNames', () => {
  it('names the stream and subjects after the prefix and topic', () => {
    const n = topicNames('axon', { name: 'OutputRoomEvent' });
    assert.equal(n.stream, 'axon_OutputRoomEvent');
    assert.equal(n.subjects, 'axon.OutputRoomEvent.*');
    assert.equal(n.subject('!room:example.org'), 'axon.OutputRoomEvent.IXJvb206ZXhhbXBsZS5vcmc');
  });

  it('rejects topic names that are not letters, digits, _ and -', () => {
    for (const bad of ['a.b', 'a*', 'a>', 'a b', '']) assert.throws(() => topicNames('axon', { name: bad }), TypeError);
  });
});

describe('keyToken', () => {
  it('is a single subject token whatever the key holds, and different for different keys', () => {
    const keys = ['', 'a', 'a.b', 'a b', '*', '>', '@alice:example.org', '\u00e9\u6f22', 'x'.repeat(300)];
    const tokens = keys.map(keyToken);
    for (const t of tokens) assert.match(t, /^[A-Za-z0-9_-]+$/);
    assert.equal(new Set(tokens).size, keys.length);
    assert.equal(keyToken(''), '_');
    assert.equal(Buffer.from(keyToken('@alice:example.org'), 'base64url').toString(), '@alice:example.org');
  });
});

describe('assertName', () => {
  it('accepts consumer names like syncapi-roomserver and rejects subject syntax', () => {
    assert.doesNotThrow(() => assertName('consumer', 'syncapi-roomserver_2'));
    assert.throws(() => assertName('consumer', 'sync.api'), /invalid bus consumer name "sync.api"/);
  });
});
