import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeEventId } from './event-id.js';
import type { JsonObject } from './json.js';
import { addEventSignature, eventSignature, hashAndSignEvent, hashSignAndIdentifyEvent } from './sign-event.js';
import { verifyEventSignature } from './verify-event.js';
import { generateSigningKey } from './signing-key.js';
import { ROOM_VERSIONS, roomVersion } from './room-version.js';
import {
  specKey,
  specMinimalEvent,
  specMinimalEventSigned,
  specRedactableEvent,
  specRedactableEventSigned,
} from './test-known-events.js';

const v1 = roomVersion('1');

void test('the spec minimal event is hashed and signed exactly as the appendix shows', () => {
  assert.deepEqual(hashAndSignEvent(specMinimalEvent, v1, 'domain', specKey), specMinimalEventSigned);
});

void test('the spec event with redactable content is hashed and signed exactly as the appendix shows', () => {
  assert.deepEqual(hashAndSignEvent(specRedactableEvent, v1, 'domain', specKey), specRedactableEventSigned);
});

void test('the signature covers the redacted form: it survives redaction of the content', () => {
  const signed = hashAndSignEvent(specRedactableEvent, v1, 'domain', specKey);
  const redactedCopy = { ...signed, content: {} };
  assert.deepEqual(verifyEventSignature(redactedCopy, v1, 'domain', 'ed25519:1', specKey.publicKey), { ok: true });
});

void test('co-signing keeps the first server signature and the hash', () => {
  const other = generateSigningKey('k2');
  const rv = roomVersion('11');
  const ev = hashAndSignEvent({ ...specMinimalEvent, sender: '@a:one' }, rv, 'one', specKey);
  const both = addEventSignature(ev, rv, 'two', other);
  assert.equal(both.hashes, ev.hashes);
  assert.deepEqual(Object.keys(both.signatures as object).sort(), ['one', 'two']);
  assert.equal(verifyEventSignature(both, rv, 'one', 'ed25519:1', specKey.publicKeyBase64).ok, true);
  assert.equal(verifyEventSignature(both, rv, 'two', 'ed25519:k2', other.publicKeyBase64).ok, true);
  assert.equal(eventSignature(ev, rv, other), (both.signatures as Record<string, Record<string, string>>).two?.['ed25519:k2']);
});

void test('hashSignAndIdentifyEvent signs as hashAndSignEvent does and its event ID is the reference hash, in every version', () => {
  for (const rv of ROOM_VERSIONS.values()) {
    const { event_id: legacyId, ...rest } = specRedactableEvent;
    const event: JsonObject = { ...rest, room_id: rv.id === '12' ? '!AAAA' : String(rest.room_id) };
    if (rv.eventIdFormat === 'legacy' && legacyId !== undefined) event.event_id = legacyId;
    const { signed, eventId } = hashSignAndIdentifyEvent(event, rv, 'domain', specKey);
    assert.deepEqual(signed, hashAndSignEvent(event, rv, 'domain', specKey), rv.id);
    assert.equal(eventId, rv.eventIdFormat === 'legacy' ? undefined : computeEventId(signed, rv), rv.id);
  }
});
