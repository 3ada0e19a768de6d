import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeEventId, eventIdFromHash, roomIdFromCreateEvent } from './event-id.js';
import { referenceHash } from './reference-hash.js';
import { encodeBase64 } from './base64.js';
import { roomVersion } from './room-version.js';
import { jkiCreateEvent, jkiCreateEventIdV3, jkiCreateEventIdV4 } from './test-known-events.js';

void test('a real event gets its published v3 and v4 event IDs', () => {
  assert.equal(computeEventId(jkiCreateEvent, roomVersion('3')), jkiCreateEventIdV3);
  for (const v of ['4', '5', '6', '7', '8', '9', '10']) {
    assert.equal(computeEventId(jkiCreateEvent, roomVersion(v)), jkiCreateEventIdV4, `v${v}`);
  }
});

void test('the reference hash ignores signatures, unsigned and non-essential keys', () => {
  const rv = roomVersion('5');
  const expected = encodeBase64(referenceHash(jkiCreateEvent, rv));
  const variant = { ...jkiCreateEvent, signatures: {}, unsigned: { x: 1 }, extra_top_level: true };
  assert.equal(encodeBase64(referenceHash(variant, rv)), expected);
  // …but not the content hash, which covers what redaction removes
  const rehashed = { ...jkiCreateEvent, hashes: { sha256: 'other' } };
  assert.notEqual(encodeBase64(referenceHash(rehashed, rv)), expected);
});

void test('v11 redaction keeps all create content, so the ID differs from v10', () => {
  assert.notEqual(computeEventId(jkiCreateEvent, roomVersion('11')), jkiCreateEventIdV4);
  assert.match(computeEventId(jkiCreateEvent, roomVersion('11')), /^\$[A-Za-z0-9_-]{43}$/);
});

void test('v1–v2 event IDs are not computed', () => {
  assert.throws(() => computeEventId(jkiCreateEvent, roomVersion('1')), /chosen by the origin server/);
  assert.throws(() => eventIdFromHash(new Uint8Array(32), roomVersion('2')), /chosen by the origin server/);
});

void test('v12 room IDs are the create event ID with a ! sigil', () => {
  const rv = roomVersion('12');
  const { room_id: _unused, ...create } = jkiCreateEvent;
  const roomId = roomIdFromCreateEvent(create, rv);
  assert.equal(roomId, `!${computeEventId(create, rv).slice(1)}`);
  assert.match(roomId, /^![A-Za-z0-9_-]{43}$/);
  assert.throws(() => roomIdFromCreateEvent(create, roomVersion('11')), /not create-event hashes/);
});

void test('eventIdFromHash uses the version alphabet', () => {
  const hash = Uint8Array.from({ length: 32 }, () => 0xff);
  assert.equal(eventIdFromHash(hash, roomVersion('3')), `$${'/'.repeat(42)}8`);
  assert.equal(eventIdFromHash(hash, roomVersion('4')), `$${'_'.repeat(42)}8`);
});
