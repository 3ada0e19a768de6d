import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEvent, protoToPdu, type EventProto } from './build-event.js';
import { checkContentHash } from './content-hash.js';
import { verifyEventSignature } from './verify-event.js';
import { computeEventId } from './event-id.js';
import { roomVersion } from './room-version.js';
import { specKey } from './test-known-events.js';

const signer = { serverName: 'example.org', key: specKey };
const ID_A = '$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

const message: EventProto = {
  type: 'm.room.message',
  sender: '@alice:example.org',
  content: { body: 'hello', msgtype: 'm.text' },
  room_id: '!room:example.org',
  prev_events: [ID_A],
  auth_events: [ID_A],
  depth: 3,
  origin_server_ts: 1700000000000,
};

void test('a v11 event is hashed, signed, and identified by its reference hash', () => {
  const rv = roomVersion('11');
  const ev = buildEvent(message, rv, signer);
  assert.deepEqual(Object.keys(ev.json).sort(), [
    'auth_events', 'content', 'depth', 'hashes', 'origin_server_ts', 'prev_events', 'room_id', 'sender', 'signatures', 'type',
  ]);
  assert.equal(checkContentHash(ev.json, rv), true);
  assert.deepEqual(verifyEventSignature(ev.json, rv, 'example.org', 'ed25519:1', specKey.publicKeyBase64), { ok: true });
  assert.equal(ev.eventId, computeEventId(ev.json, rv));
  assert.deepEqual(ev.prevEvents, [ID_A]);
  assert.equal(ev.stateKey, undefined);
});

void test('building is deterministic for v3+ (same input, same ID)', () => {
  const rv = roomVersion('9');
  assert.equal(buildEvent(message, rv, signer).eventId, buildEvent(message, rv, signer).eventId);
});

void test('v1: an event ID on our server and [id, hashes] pairs', () => {
  const rv = roomVersion('1');
  const proto = { ...message, prev_events: ['$p:example.org'], auth_events: ['$a:example.org', '$b:other.org'] };
  const ev = buildEvent(proto, rv, signer, { referenceHashes: new Map([['$a:example.org', 'aGFzaA']]) });
  assert.match(ev.eventId, /^\$[A-Za-z0-9_-]{16}:example\.org$/);
  assert.deepEqual(ev.json.prev_events, [['$p:example.org', {}]]);
  assert.deepEqual(ev.json.auth_events, [['$a:example.org', { sha256: 'aGFzaA' }], ['$b:other.org', {}]]);
  assert.deepEqual(ev.authEvents, ['$a:example.org', '$b:other.org']);
  assert.equal(buildEvent(proto, rv, signer, { eventId: '$fixed:example.org' }).eventId, '$fixed:example.org');
  assert.equal(verifyEventSignature(ev.json, rv, 'example.org', 'ed25519:1', specKey.publicKey).ok, true);
});

void test('redacts goes to the top level before v11 and into content from v11', () => {
  const proto = { ...message, type: 'm.room.redaction', content: { reason: 'spam' }, redacts: ID_A };
  const v10 = buildEvent(proto, roomVersion('10'), signer);
  assert.equal(v10.json.redacts, ID_A);
  assert.deepEqual(v10.content, { reason: 'spam' });
  assert.equal(v10.redacts, ID_A);
  const v11 = buildEvent(proto, roomVersion('11'), signer);
  assert.equal(v11.json.redacts, undefined);
  assert.deepEqual(v11.content, { reason: 'spam', redacts: ID_A });
  assert.equal(v11.redacts, ID_A);
});

void test('a v12 create event has no room_id and defines the room ID', () => {
  const rv = roomVersion('12');
  const create: EventProto = {
    type: 'm.room.create',
    state_key: '',
    sender: '@alice:example.org',
    content: { room_version: '12' },
    prev_events: [],
    auth_events: [],
    depth: 1,
    origin_server_ts: 1700000000000,
  };
  const ev = buildEvent(create, rv, signer);
  assert.equal('room_id' in ev.json, false);
  assert.equal(ev.stateKey, '');
  assert.match(ev.roomId, /^![A-Za-z0-9_-]{43}$/);
  assert.equal(ev.roomId.slice(1), ev.eventId.slice(1));
  // the next event uses it
  const next = buildEvent({ ...message, room_id: ev.roomId, prev_events: [ev.eventId], auth_events: [] }, rv, signer);
  assert.equal(next.roomId, ev.roomId);
});

void test('invalid content is refused with the spec errors', () => {
  assert.throws(() => buildEvent({ ...message, content: { n: 0.5 } }, roomVersion('11'), signer), { errcode: 'M_BAD_JSON' });
  assert.equal(buildEvent({ ...message, content: { n: 0.5 } }, roomVersion('5'), signer).content.n, 0.5);
  assert.throws(() => buildEvent({ ...message, content: { body: 'x'.repeat(70000) } }, roomVersion('11'), signer), {
    errcode: 'M_TOO_LARGE',
  });
  assert.throws(() => buildEvent({ ...message, sender: 'nobody' }, roomVersion('11'), signer), { errcode: 'M_BAD_JSON' });
});

void test('protoToPdu leaves out what the proto does not set', () => {
  const pdu = protoToPdu(message, roomVersion('11'), 'example.org');
  assert.equal('state_key' in pdu, false);
  assert.equal('redacts' in pdu, false);
  assert.equal('event_id' in pdu, false);
  assert.equal('hashes' in pdu, false);
});
