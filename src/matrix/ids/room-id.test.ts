import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidRoomId, parseRoomId } from './room-id.js';
import { isValidRoomAlias, parseRoomAlias } from './room-alias.js';
import { isValidEventId, parseEventId } from './event-id.js';
import { checkEventType, checkStateKey } from './state-key.js';
import { roomVersion } from '../room-version.js';

const HASH = 'Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ';

void test('room IDs: the server form and the v12 hash form', () => {
  assert.deepEqual(parseRoomId('!abc123:matrix.org'), { ok: true, value: { kind: 'server', localpart: 'abc123', serverName: 'matrix.org' } });
  assert.deepEqual(parseRoomId(`!${HASH}`), { ok: true, value: { kind: 'hash', hash: HASH } });
  assert.equal(isValidRoomId(`!${HASH}`, roomVersion('12')), true);
  assert.equal(isValidRoomId(`!${HASH}`, roomVersion('11')), false);
  assert.equal(isValidRoomId('!abc:matrix.org', roomVersion('12')), false);
  assert.equal(isValidRoomId('!abc:matrix.org', roomVersion('1')), true);
  // the localpart is opaque: anything but ":" and NUL
  assert.equal(isValidRoomId('!a b/é:matrix.org'), true);
  const rejects = ['abc:matrix.org', '!abc', `!${HASH}x`, '!a\u0000:matrix.org', '!abc:bad_server', `!${'a'.repeat(250)}:x.org`, `!${HASH.replace('-', '+')}`];
  for (const id of rejects) assert.equal(isValidRoomId(id), false, id);
});

void test('room aliases', () => {
  assert.deepEqual(parseRoomAlias('#room alias!:example.org:8448'), {
    ok: true,
    value: { localpart: 'room alias!', serverName: 'example.org:8448' },
  });
  assert.equal(isValidRoomAlias('#:example.org'), true);
  for (const a of ['room:example.org', '#room', '#ro\u0000om:example.org', '#room:', `#${'a'.repeat(245)}:example.org`]) {
    assert.equal(isValidRoomAlias(a), false, a);
  }
  const r = parseRoomAlias('#room');
  assert.ok(!r.ok && r.reason === 'a room alias has the form #localpart:server');
});

void test('event IDs per room version format', () => {
  const v3 = '$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk';
  const v4 = '$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg';
  assert.deepEqual(parseEventId('$a4ecee13e2accdadf56c1025:example.com', roomVersion('1')), {
    ok: true,
    value: { opaque: 'a4ecee13e2accdadf56c1025', serverName: 'example.com' },
  });
  assert.equal(isValidEventId(v3, roomVersion('3')), true);
  assert.equal(isValidEventId(v4, roomVersion('3')), false);
  assert.equal(isValidEventId(v4, roomVersion('4')), true);
  assert.equal(isValidEventId(v3, roomVersion('11')), false);
  assert.equal(isValidEventId(v4, roomVersion('1')), false);
  assert.equal(isValidEventId('$x:bad_server', roomVersion('2')), false);
  assert.equal(isValidEventId('$anything goes'), true);
  for (const id of ['$', 'abc', `$${'a'.repeat(255)}`]) assert.equal(isValidEventId(id), false, id);
});

void test('state keys and event types are limited to 255 bytes', () => {
  assert.deepEqual(checkStateKey(''), { ok: true, value: '' });
  assert.equal(checkStateKey('a'.repeat(255)).ok, true);
  assert.equal(checkStateKey('é'.repeat(128)).ok, false);
  assert.equal(checkEventType('m.room.message').ok, true);
  assert.equal(checkEventType('').ok, false);
  assert.equal(checkEventType('t'.repeat(256)).ok, false);
});
