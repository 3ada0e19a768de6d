import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requiredSignatureServers, verifyEventSignature, verifyEventSignatures } from './verify-event.js';
import { hashAndSignEvent } from './sign-event.js';
import { generateSigningKey } from './signing-key.js';
import { roomVersion } from './room-version.js';
import type { RoomEvent } from './room-event.js';
import type { JsonObject } from './json.js';
import { jkiCreateEvent, jkiPublicKey, specKey, specMinimalEventSigned } from './test-known-events.js';

const reason = (r: { ok: boolean; reason?: string }): string => r.reason ?? 'ok';

void test('a real jki.re event verifies against jki.re’s published key', () => {
  assert.equal(reason(verifyEventSignature(jkiCreateEvent, roomVersion('5'), 'jki.re', 'ed25519:auto', jkiPublicKey)), 'ok');
  const tampered = { ...jkiCreateEvent, depth: 2 };
  assert.equal(
    reason(verifyEventSignature(tampered, roomVersion('5'), 'jki.re', 'ed25519:auto', jkiPublicKey)),
    'bad signature from jki.re ed25519:auto',
  );
});

void test('the spec signed event verifies; failures have reasons', () => {
  const v1 = roomVersion('1');
  const pub = specKey.publicKeyBase64;
  assert.equal(reason(verifyEventSignature(specMinimalEventSigned, v1, 'domain', 'ed25519:1', pub)), 'ok');
  assert.equal(reason(verifyEventSignature(specMinimalEventSigned, v1, 'other', 'ed25519:1', pub)), 'not signed by other ed25519:1');
  assert.equal(reason(verifyEventSignature({ ...specMinimalEventSigned, signatures: 1 }, v1, 'domain', 'ed25519:1', pub)), 'no signatures object');
  assert.equal(
    reason(verifyEventSignature({ ...specMinimalEventSigned, depth: 1.5 }, roomVersion('6'), 'domain', 'ed25519:1', pub)),
    'not canonical JSON: float 1.5 is not allowed at depth',
  );
});

void test('verifyEventSignatures checks every listed signature', () => {
  const rv = roomVersion('10');
  const k2 = generateSigningKey('b');
  let ev: JsonObject = hashAndSignEvent({ ...specMinimalEventSigned, sender: '@a:one' }, rv, 'one', specKey);
  const checks = [
    { serverName: 'one', keyId: 'ed25519:1', publicKey: specKey.publicKeyBase64 },
    { serverName: 'two', keyId: 'ed25519:b', publicKey: k2.publicKeyBase64 },
  ];
  assert.equal(reason(verifyEventSignatures(ev, rv, checks)), 'not signed by two ed25519:b');
  ev = hashAndSignEvent(ev, rv, 'two', k2);
  assert.equal(reason(verifyEventSignatures(ev, rv, checks)), 'ok');
});

function roomEvent(over: Partial<RoomEvent>): RoomEvent {
  return {
    eventId: '$abc',
    roomId: '!r:x',
    type: 'm.room.message',
    stateKey: undefined,
    sender: '@alice:alice.example',
    content: {},
    authEvents: [],
    prevEvents: [],
    depth: 1,
    originServerTs: 0,
    redacts: undefined,
    json: {},
    roomVersion: roomVersion('10'),
    ...over,
  };
}

void test('requiredSignatureServers per room version and event kind', () => {
  assert.deepEqual(requiredSignatureServers(roomEvent({})), ['alice.example']);
  assert.deepEqual(
    requiredSignatureServers(roomEvent({ roomVersion: roomVersion('1'), eventId: '$x:origin.example' })),
    ['alice.example', 'origin.example'],
  );
  const restrictedJoin = {
    type: 'm.room.member',
    stateKey: '@alice:alice.example',
    content: { membership: 'join', join_authorised_via_users_server: '@bob:resident.example:8448' },
  };
  assert.deepEqual(requiredSignatureServers(roomEvent(restrictedJoin)), ['alice.example', 'resident.example:8448']);
  assert.deepEqual(requiredSignatureServers(roomEvent({ ...restrictedJoin, roomVersion: roomVersion('7') })), ['alice.example']);
  const leave = { ...restrictedJoin, content: { ...restrictedJoin.content, membership: 'leave' } };
  assert.deepEqual(requiredSignatureServers(roomEvent(leave)), ['alice.example']);
  const thirdPartyInvite = { type: 'm.room.member', content: { membership: 'invite', third_party_invite: { signed: {} } } };
  assert.deepEqual(requiredSignatureServers(roomEvent(thirdPartyInvite)), []);
});
