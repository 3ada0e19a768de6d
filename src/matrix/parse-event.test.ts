import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PDU_BYTES, parseEvent } from './parse-event.js';
import { computeEventId } from './event-id.js';
import { canonicalJson } from './canonical-json.js';
import { roomVersion } from './room-version.js';
import { MatrixError } from '../internal/errors/matrix-error.js';
import type { JsonObject } from './json.js';
import { jkiCreateEvent, jkiCreateEventIdV4 } from './test-known-events.js';

const ID_A = '$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const ID_B = '$bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const HASH_ROOM = '!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ';

/** A well-formed (unsigned-in-effect) v4+ message PDU. */
const v10Message: JsonObject = {
  type: 'm.room.message',
  sender: '@alice:example.org',
  room_id: '!room:example.org',
  content: { body: 'hi', msgtype: 'm.text' },
  depth: 12,
  origin_server_ts: 1700000000000,
  prev_events: [ID_A],
  auth_events: [ID_A, ID_B],
  hashes: { sha256: 'x' },
  signatures: { 'example.org': { 'ed25519:1': 'sig' } },
  unsigned: { age: 5 },
};

const v1Message: JsonObject = {
  ...v10Message,
  event_id: '$abc:example.org',
  prev_events: [['$p:example.org', { sha256: 'h' }]],
  auth_events: [['$a:example.org', {}], ['$b:example.org', { sha256: 'h' }]],
};

const badJson = (field: string) => (e: unknown) =>
  e instanceof MatrixError && e.errcode === 'M_BAD_JSON' && e.message.includes(field);

void test('a v10 message parses; the event ID is its reference hash', () => {
  const rv = roomVersion('10');
  const ev = parseEvent(v10Message, rv);
  assert.equal(ev.eventId, computeEventId(v10Message, rv));
  assert.match(ev.eventId, /^\$[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(
    { ...ev, json: undefined, roomVersion: undefined },
    {
      eventId: ev.eventId, roomId: '!room:example.org', type: 'm.room.message', stateKey: undefined,
      sender: '@alice:example.org', content: { body: 'hi', msgtype: 'm.text' }, authEvents: [ID_A, ID_B],
      prevEvents: [ID_A], depth: 12, originServerTs: 1700000000000, redacts: undefined, json: undefined, roomVersion: undefined,
    },
  );
  assert.equal(ev.json, v10Message);
  assert.equal(ev.roomVersion, rv);
});

void test('v1–v2: event_id is read and reference pairs are flattened', () => {
  const ev = parseEvent(v1Message, roomVersion('1'));
  assert.equal(ev.eventId, '$abc:example.org');
  assert.deepEqual(ev.prevEvents, ['$p:example.org']);
  assert.deepEqual(ev.authEvents, ['$a:example.org', '$b:example.org']);
});

void test('a real v5 event parses to its published ID', () => {
  const ev = parseEvent(jkiCreateEvent, roomVersion('5'));
  assert.equal(ev.eventId, jkiCreateEventIdV4);
  assert.equal(ev.stateKey, '');
  assert.equal(ev.roomId, '!uXDCzlYgCTHtiWCkEx:jki.re');
});

void test('v3+: a stray event_id is removed before hashing', () => {
  const rv = roomVersion('10');
  const ev = parseEvent({ ...v10Message, event_id: '$claimed' }, rv);
  assert.equal(ev.eventId, computeEventId(v10Message, rv));
  assert.equal('event_id' in ev.json, false);
});

void test('trustedEventId skips the hash', () => {
  assert.equal(parseEvent(v10Message, roomVersion('10'), { trustedEventId: ID_B }).eventId, ID_B);
});

void test('redacts: top level before v11, in content from v11', () => {
  const v10 = parseEvent({ ...v10Message, type: 'm.room.redaction', redacts: ID_B, content: {} }, roomVersion('10'));
  assert.equal(v10.redacts, ID_B);
  const ignoredInContent = parseEvent({ ...v10Message, type: 'm.room.redaction', content: { redacts: ID_B } }, roomVersion('10'));
  assert.equal(ignoredInContent.redacts, undefined);
  const v11 = parseEvent({ ...v10Message, type: 'm.room.redaction', content: { redacts: ID_B } }, roomVersion('11'));
  assert.equal(v11.redacts, ID_B);
  const v11Top = parseEvent({ ...v10Message, type: 'm.room.redaction', redacts: ID_B, content: {} }, roomVersion('11'));
  assert.equal(v11Top.redacts, undefined);
  assert.throws(
    () => parseEvent({ ...v10Message, type: 'm.room.redaction', content: { redacts: 5 } }, roomVersion('11')),
    badJson('"content.redacts" must be a string'),
  );
  // a non-redaction's `redacts` means nothing
  assert.equal(parseEvent({ ...v10Message, redacts: 5 }, roomVersion('10')).redacts, undefined);
});

void test('v12: the create event defines the room ID; other events need the hash form', () => {
  const rv = roomVersion('12');
  const create: JsonObject = { ...v10Message, type: 'm.room.create', state_key: '', content: { room_version: '12' }, prev_events: [], auth_events: [] };
  delete create.room_id;
  const ev = parseEvent(create, rv);
  assert.equal(ev.roomId, `!${ev.eventId.slice(1)}`);
  assert.equal(parseEvent({ ...v10Message, room_id: HASH_ROOM }, rv).roomId, HASH_ROOM);
  assert.throws(() => parseEvent(v10Message, rv), badJson('"room_id": room version 12 room IDs have no server part'));
  assert.throws(() => parseEvent({ ...v10Message, room_id: HASH_ROOM }, roomVersion('11')), badJson('"room_id"'));
  // with a trusted ID, the room ID follows it
  assert.equal(parseEvent(create, rv, { trustedEventId: ID_A }).roomId, `!${ID_A.slice(1)}`);
});

void test('each missing or mistyped field is named', () => {
  const rv = roomVersion('10');
  const without = (k: string): JsonObject => Object.fromEntries(Object.entries(v10Message).filter(([key]) => key !== k));
  const cases: [JsonObject, string][] = [
    [without('type'), '"type" must be a string'],
    [without('sender'), '"sender" must be a string'],
    [without('room_id'), '"room_id" must be a string'],
    [without('content'), '"content" must be an object'],
    [without('depth'), '"depth" must be an integer'],
    [without('origin_server_ts'), '"origin_server_ts" must be an integer'],
    [without('hashes'), '"hashes" must be an object'],
    [without('signatures'), '"signatures" must be an object'],
    [without('prev_events'), '"prev_events" must be an array'],
    [without('auth_events'), '"auth_events" must be an array'],
    [{ ...v10Message, type: 5 }, '"type" must be a string'],
    [{ ...v10Message, content: [] }, '"content" must be an object'],
    [{ ...v10Message, depth: '12' }, '"depth" must be an integer'],
    [{ ...v10Message, depth: -1 }, '"depth" must be at least 0'],
    [{ ...v10Message, origin_server_ts: null }, '"origin_server_ts" must be an integer'],
    [{ ...v10Message, state_key: 1 }, '"state_key" must be a string'],
    [{ ...v10Message, hashes: {} }, '"hashes.sha256" must be a string'],
    [{ ...v10Message, signatures: { s: 'x' } }, '"signatures.s" must be an object'],
    [{ ...v10Message, signatures: { s: { k: 1 } } }, '"signatures.s.k" must be a string'],
    [{ ...v10Message, unsigned: 'x' }, '"unsigned" must be an object'],
    [{ ...v10Message, sender: 'alice' }, '"sender": a user ID starts with "@"'],
    [{ ...v10Message, sender: '@alice:bad_host' }, '"sender": invalid server name'],
    [{ ...v10Message, room_id: 'room' }, '"room_id": a room ID starts with "!"'],
    [{ ...v10Message, prev_events: [5] }, '"prev_events[0]" must be an event ID'],
    [{ ...v10Message, prev_events: ['$x:example.org'] }, '"prev_events[0]": not a URL-safe base64 hash event ID'],
    [{ ...v10Message, auth_events: [[ID_A, {}]] }, '"auth_events[0]" must be an event ID'],
    [{ ...v10Message, prev_events: Array(21).fill(ID_A) }, '"prev_events" has more than 20 entries'],
    [{ ...v10Message, auth_events: Array(11).fill(ID_A) }, '"auth_events" has more than 10 entries'],
  ];
  for (const [pdu, message] of cases) assert.throws(() => parseEvent(pdu, rv), badJson(message), message);
  assert.throws(() => parseEvent([] as unknown as JsonObject, rv), badJson('must be a JSON object'));
});

void test('v1–v2 reference pairs and event IDs are checked', () => {
  const rv = roomVersion('1');
  const cases: [JsonObject, string][] = [
    [{ ...v1Message, event_id: undefined } as unknown as JsonObject, '"event_id" must be a string'],
    [{ ...v1Message, event_id: '$nodomain' }, '"event_id": room version 1 event IDs have the form $opaque:server'],
    [{ ...v1Message, prev_events: ['$p:example.org'] }, '"prev_events[0]" must be an [event_id, hashes] pair'],
    [{ ...v1Message, prev_events: [['$p:example.org']] }, '"prev_events[0]" must be an [event_id, hashes] pair'],
    [{ ...v1Message, auth_events: [['$a:example.org', 'h']] }, '"auth_events[0]" must be an [event_id, hashes] pair'],
    [{ ...v1Message, auth_events: [[5, {}]] }, '"auth_events[0]" must be an event ID'],
  ];
  for (const [pdu, message] of cases) assert.throws(() => parseEvent(pdu, rv), badJson(message), message);
});

void test('per-field 255-byte limits', () => {
  const rv = roomVersion('10');
  const long = 'é'.repeat(128); // 256 bytes
  assert.throws(() => parseEvent({ ...v10Message, type: long }, rv), badJson('"type" is longer than 255 bytes'));
  assert.throws(() => parseEvent({ ...v10Message, state_key: long }, rv), badJson('"state_key" is longer than 255 bytes'));
  assert.throws(() => parseEvent({ ...v10Message, sender: `@${'a'.repeat(243)}:example.org` }, rv), badJson('"sender" is longer'));
  assert.throws(() => parseEvent({ ...v10Message, room_id: `!${'a'.repeat(243)}:example.org` }, rv), badJson('"room_id" is longer'));
  assert.throws(() => parseEvent({ ...v1Message, event_id: `$${'a'.repeat(243)}:example.org` }, roomVersion('1')), badJson('"event_id" is longer'));
  assert.equal(parseEvent({ ...v10Message, state_key: 'é'.repeat(127) }, rv).stateKey, 'é'.repeat(127));
});

void test('65,536 bytes of canonical JSON is the limit for the whole PDU', () => {
  const rv = roomVersion('10');
  const base = canonicalJson({ ...v10Message, content: { body: '' } }).length;
  const fits = { ...v10Message, content: { body: 'x'.repeat(MAX_PDU_BYTES - base) } };
  assert.equal(parseEvent(fits, rv).type, 'm.room.message');
  const over = { ...v10Message, content: { body: 'x'.repeat(MAX_PDU_BYTES - base + 1) } };
  assert.throws(() => parseEvent(over, rv), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_TOO_LARGE');
  // multi-byte characters count as bytes, and signatures count too
  const wide = { ...v10Message, content: { body: '日'.repeat(22000) } };
  assert.throws(() => parseEvent(wide, rv), { errcode: 'M_TOO_LARGE' });
});

void test('floats and large integers: rejected from v6, accepted in v1–v5', () => {
  const floaty = { ...v10Message, content: { body: 'x', n: 1.5 } };
  const huge = { ...v10Message, origin_server_ts: 2 ** 60 };
  for (const v of ['6', '7', '8', '9', '10', '11']) {
    assert.throws(() => parseEvent(floaty, roomVersion(v)), badJson('float 1.5 is not allowed at content.n'), `v${v}`);
    assert.throws(() => parseEvent(huge, roomVersion(v)), badJson('outside ±(2^53-1) at origin_server_ts'), `v${v}`);
  }
  for (const v of ['3', '4', '5']) {
    assert.deepEqual(parseEvent(floaty, roomVersion(v)).content, { body: 'x', n: 1.5 }, `v${v}`);
    assert.equal(parseEvent(huge, roomVersion(v)).originServerTs, 2 ** 60);
  }
  assert.equal(parseEvent({ ...v1Message, content: { n: 0.5 } }, roomVersion('1')).content.n, 0.5);
  // a fractional depth is not an integer in any version
  assert.throws(() => parseEvent({ ...v10Message, depth: 1.5 }, roomVersion('4')), badJson('"depth" must be an integer'));
});
