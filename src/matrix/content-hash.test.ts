import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addContentHash, checkContentHash, contentHash } from './content-hash.js';
import { encodeBase64 } from './base64.js';
import { roomVersion } from './room-version.js';
import { jkiCreateEvent, specMinimalEvent, specRedactableEvent } from './test-known-events.js';

const v1 = roomVersion('1');
const v11 = roomVersion('11');

void test('content hashes of the spec appendix events', () => {
  assert.equal(encodeBase64(contentHash(specMinimalEvent, v1)), '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos');
  assert.equal(encodeBase64(contentHash(specRedactableEvent, v1)), 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g');
});

void test('the content hash ignores unsigned, signatures and existing hashes', () => {
  const variant = { ...specMinimalEvent, unsigned: { age: 1 }, signatures: { x: {} }, hashes: { sha256: 'zzz' } };
  assert.equal(encodeBase64(contentHash(variant, v1)), '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos');
});

void test('addContentHash sets hashes.sha256 and checkContentHash accepts it', () => {
  const hashed = addContentHash(specRedactableEvent, v1);
  assert.deepEqual(hashed.hashes, { sha256: 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g' });
  assert.equal(checkContentHash(hashed, v1), true);
});

void test('a real event from jki.re passes the hash check', () => {
  assert.equal(checkContentHash(jkiCreateEvent, roomVersion('5')), true);
});

void test('checkContentHash fails on changed content, missing or malformed hashes', () => {
  const hashed = addContentHash(specRedactableEvent, v1);
  assert.equal(checkContentHash({ ...hashed, content: { body: 'edited' } }, v1), false);
  assert.equal(checkContentHash({ ...hashed, hashes: {} }, v1), false);
  assert.equal(checkContentHash({ ...hashed, hashes: 'x' }, v1), false);
  assert.equal(checkContentHash({ ...hashed, hashes: { sha256: 'Zm9v' } }, v1), false);
  assert.equal(checkContentHash({ ...hashed, hashes: { sha256: '!!' } }, v1), false);
  // padded base64 of the right hash is still accepted
  assert.equal(checkContentHash({ ...hashed, hashes: { sha256: 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g=' } }, v1), true);
});

void test('floats: hashed in v1 rooms, a failed check (not a throw) in v11', () => {
  const floaty = { ...specRedactableEvent, content: { n: 1.5 } };
  assert.equal(checkContentHash(addContentHash(floaty, v1), v1), true);
  assert.equal(checkContentHash({ ...floaty, hashes: { sha256: 'x' } }, v11), false);
  assert.throws(() => contentHash(floaty, v11), { errcode: 'M_BAD_JSON' });
});
