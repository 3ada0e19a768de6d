/**
 * The key and version routes over real HTTP: `GET /_matrix/key/v2/server` (exact fields,
 * signatures that verify), `GET /_matrix/federation/v1/version`, and the notary routes
 * `GET /_matrix/key/v2/query/{serverName}` and `POST /_matrix/key/v2/query`, where server
 * a.test vouches for b.test's keys, fetched from b.test over HTTP, cached, refetched when not
 * valid long enough, and served stale when b.test is gone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { MAX_NOTARY_SERVERS } from '../../src/federationapi/routing/key-query.js';
import { isJsonObject, type JsonObject } from '../../src/matrix/json.js';
import { parseServerKeys } from '../../src/matrix/server-keys.js';
import { generateSigningKey } from '../../src/matrix/signing-key.js';
import { verifyJsonSignature } from '../../src/matrix/verify-json.js';
import { httpKeyTransport, startKeyTestServer, testClock, type KeyTestServer } from './key-test-servers.js';

const DAY = 24 * 60 * 60 * 1000;
const OLD_KEY = generateSigningKey('old1');
const OLD_EXPIRED_TS = 1_700_000_000_000;

let a: KeyTestServer;
let b: KeyTestServer;
const aClock = testClock();
const aTransport = httpKeyTransport();

before(async () => {
  b = await startKeyTestServer('b.test', { oldKeys: [{ keyId: OLD_KEY.keyId, key: OLD_KEY.publicKeyBase64, expiredTs: OLD_EXPIRED_TS }] });
  a = await startKeyTestServer('a.test', { transport: aTransport, now: aClock.now });
  aTransport.urls.set('b.test', b.baseUrl);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

async function call(server: KeyTestServer, path: string, body?: unknown): Promise<{ status: number; json: JsonObject }> {
  const res = await fetch(`${server.baseUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json: unknown = await res.json();
  assert.ok(isJsonObject(json));
  return { status: res.status, json };
}

function serverKeysOf(json: JsonObject): JsonObject[] {
  const list = json.server_keys;
  assert.ok(Array.isArray(list));
  return list.filter(isJsonObject);
}

/** Asserts `entry` is b.test's key response, signed by b.test and by the notary a.test. */
function assertNotarisedB(entry: JsonObject | undefined): void {
  assert.ok(entry);
  assert.equal(entry.server_name, 'b.test');
  assert.deepEqual(entry.verify_keys, { [b.keyId]: { key: b.publicKey } });
  assert.deepEqual(verifyJsonSignature(entry, 'b.test', b.keyId, b.publicKey), { ok: true });
  assert.deepEqual(verifyJsonSignature(entry, 'a.test', a.keyId, a.publicKey), { ok: true });
  assert.deepEqual(Object.keys(entry.signatures as object).sort(), ['a.test', 'b.test']);
}

describe('GET /_matrix/key/v2/server', () => {
  it('publishes our key, signed, valid for seven days', async () => {
    const t = aClock.now();
    const { status, json } = await call(a, '/_matrix/key/v2/server');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(json).sort(), ['old_verify_keys', 'server_name', 'signatures', 'valid_until_ts', 'verify_keys']);
    assert.equal(json.server_name, 'a.test');
    assert.deepEqual(json.verify_keys, { [a.keyId]: { key: a.publicKey } });
    assert.deepEqual(json.old_verify_keys, {});
    const validUntil = json.valid_until_ts as number;
    assert.ok(validUntil >= t + 7 * DAY && validUntil <= aClock.now() + 7 * DAY, `${validUntil - t}`);
    assert.deepEqual(Object.keys(json.signatures as object), ['a.test']);
    assert.deepEqual(verifyJsonSignature(json, 'a.test', a.keyId, a.publicKey), { ok: true });
    assert.deepEqual(verifyJsonSignature(json, 'a.test', a.keyId, b.publicKey).ok, false);
    assert.equal(parseServerKeys(json, 'a.test').ok, true);
  });

  it('lists old keys with their expiry', async () => {
    const { json } = await call(b, '/_matrix/key/v2/server');
    assert.deepEqual(json.old_verify_keys, { [OLD_KEY.keyId]: { key: OLD_KEY.publicKeyBase64, expired_ts: OLD_EXPIRED_TS } });
    assert.deepEqual(Object.keys(json.verify_keys as object), [b.keyId]);
    assert.deepEqual(verifyJsonSignature(json, 'b.test', b.keyId, b.publicKey), { ok: true });
  });
});

describe('GET /_matrix/federation/v1/version', () => {
  it('names Axon and the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { status, json } = await call(a, '/_matrix/federation/v1/version');
    assert.equal(status, 200);
    assert.deepEqual(json, { server: { name: 'Axon', version: pkg.version } });
  });
});

describe('notary routes', () => {
  it('GET fetches b.test once, then serves it from the cache, with both signatures', async () => {
    const first = await call(a, '/_matrix/key/v2/query/b.test');
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.json), ['server_keys']);
    const entries = serverKeysOf(first.json);
    assert.equal(entries.length, 1);
    assertNotarisedB(entries[0]);
    assert.deepEqual((entries[0] as JsonObject).old_verify_keys, { [OLD_KEY.keyId]: { key: OLD_KEY.publicKeyBase64, expired_ts: OLD_EXPIRED_TS } });
    assert.equal(aTransport.count('direct:b.test'), 1);

    const second = await call(a, `/_matrix/key/v2/query/b.test?minimum_valid_until_ts=${aClock.now() + DAY}`);
    assert.deepEqual(second.json, first.json, 'the cached response, signed the same (ed25519 is deterministic)');
    assert.equal(aTransport.count('direct:b.test'), 1);
    assert.equal(aTransport.count('notary:'), 0, 'a notary never asks other notaries');
  });

  it('POST answers the same, and nothing for no servers', async () => {
    const { status, json } = await call(a, '/_matrix/key/v2/query', { server_keys: { 'b.test': { [b.keyId]: { minimum_valid_until_ts: aClock.now() } } } });
    assert.equal(status, 200);
    const entries = serverKeysOf(json);
    assert.equal(entries.length, 1);
    assertNotarisedB(entries[0]);
    assert.deepEqual(await call(a, '/_matrix/key/v2/query', { server_keys: {} }), { status: 200, json: { server_keys: [] } });
    const noKeys = await call(a, '/_matrix/key/v2/query', { server_keys: { 'b.test': {} } });
    assert.equal(serverKeysOf(noKeys.json).length, 1);
    assert.equal(aTransport.count('direct:b.test'), 1);
  });

  it('answers for ourselves with our own keys', async () => {
    const entries = serverKeysOf((await call(a, '/_matrix/key/v2/query/a.test')).json);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.server_name, 'a.test');
    assert.deepEqual(verifyJsonSignature(entries[0] as JsonObject, 'a.test', a.keyId, a.publicKey), { ok: true });
  });

  it('refetches when the cache is not valid long enough, and serves the stale copy when the server is gone', async () => {
    const beyond = aClock.now() + 30 * DAY; // more than b.test ever publishes (7 days)
    aClock.advance(11_000); // past the gap the key ring keeps between successful fetches
    const r1 = await call(a, `/_matrix/key/v2/query/b.test?minimum_valid_until_ts=${beyond}`);
    assert.equal(aTransport.count('direct:b.test'), 2);
    assertNotarisedB(serverKeysOf(r1.json)[0]);

    aTransport.down.add('b.test');
    aClock.advance(11_000);
    const r2 = await call(a, `/_matrix/key/v2/query/b.test?minimum_valid_until_ts=${beyond}`);
    assert.equal(aTransport.count('direct:b.test'), 3);
    const entries = serverKeysOf(r2.json);
    assert.equal(entries.length, 1);
    assertNotarisedB(entries[0]);
    // Backing off: the next request does not reach for b.test again.
    await call(a, `/_matrix/key/v2/query/b.test?minimum_valid_until_ts=${beyond}`);
    assert.equal(aTransport.count('direct:b.test'), 3);
    aTransport.down.delete('b.test');
  });

  it('answers nothing for a server it cannot reach and never saw', async () => {
    assert.deepEqual(await call(a, '/_matrix/key/v2/query/nowhere.test'), { status: 200, json: { server_keys: [] } });
    const post = await call(a, '/_matrix/key/v2/query', { server_keys: { 'nowhere.test': {}, 'b.test': {} } });
    assert.deepEqual(serverKeysOf(post.json).map((e) => e.server_name), ['b.test']);
  });

  it('rejects bad server names and oversized batches', async () => {
    const bad = await call(a, '/_matrix/key/v2/query/not%20a%20server');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.errcode, 'M_INVALID_PARAM');
    const many = Object.fromEntries(Array.from({ length: MAX_NOTARY_SERVERS + 1 }, (_, i) => [`s${i}.test`, {}]));
    const big = await call(a, '/_matrix/key/v2/query', { server_keys: many });
    assert.equal(big.status, 400);
    assert.equal(big.json.errcode, 'M_INVALID_PARAM');
    const malformed = await call(a, '/_matrix/key/v2/query', { server_keys: 'b.test' });
    assert.equal(malformed.status, 400);
    const skipped = await call(a, '/_matrix/key/v2/query', { server_keys: { 'not a server': {} } });
    assert.deepEqual(skipped.json, { server_keys: [] });
  });
});
