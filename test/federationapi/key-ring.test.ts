/**
 * The key ring against real servers: two-three Axon monoliths publish their keys over HTTP, and
 * a key ring (storage on each engine) fetches them through a test transport calling their real
 * key routes. Covers direct fetches, the memory and database caches, notary fallback, forged
 * answers, old keys, coalescing, backoff, our own keys and validity requirements.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createKeyRing, type KeyRingOptions } from '../../src/federationapi/keyring/key-ring.js';
import { keyRequirementForEvent } from '../../src/federationapi/keyring/key-validity.js';
import { createFederationStorage, openFederationStorage, type FederationStorage } from '../../src/federationapi/storage/index.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { generateSigningKey } from '../../src/matrix/signing-key.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { httpKeyTransport, startKeyTestServer, testClock, type HttpKeyTransport, type KeyTestServer } from './key-test-servers.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const OLD_KEY = generateSigningKey('old1');
const OLD_EXPIRED_TS = Date.now() - DAY;

let b: KeyTestServer;
let b2: KeyTestServer;
let notary: KeyTestServer;
const notaryTransport = httpKeyTransport();

before(async () => {
  // b.test publishes its keys valid for 30 days: more than room v5 lets anyone trust.
  b = await startKeyTestServer('b.test', {
    oldKeys: [{ keyId: OLD_KEY.keyId, key: OLD_KEY.publicKeyBase64, expiredTs: OLD_EXPIRED_TS }],
    keyValidityPeriodMs: 30 * DAY,
  });
  b2 = await startKeyTestServer('b2.test', { keyValidityPeriodMs: HOUR });
  notary = await startKeyTestServer('notary.test', { transport: notaryTransport });
  notaryTransport.urls.set('b.test', b.baseUrl);
});
after(async () => {
  await Promise.all([b?.stop(), b2?.stop(), notary?.stop()]);
});

/** A transport reaching every test server. */
function transportToAll(): HttpKeyTransport {
  const t = httpKeyTransport();
  for (const s of [b, b2, notary]) t.urls.set(s.serverName, s.baseUrl);
  return t;
}

/** Counts database key reads. */
function counting(s: FederationStorage): { storage: FederationStorage; reads: () => number } {
  let reads = 0;
  return {
    storage: { ...s, getServerKey: (name, keyId) => (reads++, s.getServerKey(name, keyId)) },
    reads: () => reads,
  };
}

describeEachBackend('federationapi key ring', (ctx) => {
  const ring = async (over: Partial<KeyRingOptions> = {}) => {
    const storage = over.storage ?? (await openFederationStorage(await ctx.open()));
    const transport = over.transport ?? transportToAll();
    const opts: KeyRingOptions = { serverName: 'self.test', ourKeys: { signingKeys: [generateSigningKey('me')] }, ...over, storage, transport };
    return createKeyRing(opts);
  };
  const trustNotary = (key = notary.publicKey) => [{ serverName: 'notary.test', verifyKeys: new Map([[notary.keyId, key]]) }];

  it('fetches a key directly, then answers from memory without the database or the network', async () => {
    const transport = transportToAll();
    const { storage, reads } = counting(await openFederationStorage(await ctx.open()));
    const kr = await ring({ storage, transport });
    const before = Date.now();
    const r = await kr.verifyKey('b.test', b.keyId);
    const afterFetch = Date.now();
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.key.serverName, 'b.test');
    assert.equal(r.key.keyId, b.keyId);
    assert.equal(r.key.publicKey, b.publicKey);
    assert.equal(r.key.old, false);
    // Capped at seven days after fetching, although b.test says 30.
    assert.ok(r.key.validUntilTs >= before + 7 * DAY && r.key.validUntilTs <= afterFetch + 7 * DAY, `${r.key.validUntilTs - before}`);
    assert.deepEqual(transport.calls, ['direct:b.test']);
    const readsAfterFirst = reads();

    const again = await kr.verifyKey('b.test', b.keyId);
    assert.deepEqual(again, r);
    assert.deepEqual(transport.calls, ['direct:b.test'], 'no second fetch');
    assert.equal(reads(), readsAfterFirst, 'served from memory');
  });

  it('finds keys in the database after a restart, with the server down', async () => {
    const database = await ctx.open();
    const first = await ring({ storage: await openFederationStorage(database) });
    assert.ok((await first.verifyKey('b.test', b.keyId)).ok);

    const transport = transportToAll();
    transport.down.add('b.test');
    const restarted = await ring({ storage: createFederationStorage(database), transport });
    const r = await restarted.verifyKey('b.test', b.keyId);
    assert.ok(r.ok);
    assert.equal(r.key.publicKey, b.publicKey);
    assert.deepEqual(transport.calls, []);
  });

  it('falls back to a trusted notary when the server is down, storing only the origin signature', async () => {
    const transport = transportToAll();
    transport.down.add('b.test');
    const storage = await openFederationStorage(await ctx.open());
    const kr = await ring({ storage, transport, trustedKeyServers: trustNotary() });
    const r = await kr.verifyKey('b.test', b.keyId);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.key.publicKey, b.publicKey);
    assert.deepEqual(transport.calls, ['direct:b.test', 'notary:notary.test:b.test']);
    const [stored] = await storage.getServerKeysResponses('b.test');
    assert.deepEqual(Object.keys(stored?.json.signatures as object), ['b.test']);
    assert.equal(stored?.json.server_name, 'b.test');
  });

  it('refuses a direct answer with a bad signature, and uses the notary instead when there is one', async () => {
    const transport = transportToAll();
    transport.tamper.set('b.test', (json) => ({ ...json, valid_until_ts: (json.valid_until_ts as number) + 1 }));
    const storage = await openFederationStorage(await ctx.open());
    const alone = await ring({ storage, transport });
    const r = await alone.verifyKey('b.test', b.keyId);
    assert.deepEqual(r.ok ? r : { ok: r.ok, kind: r.kind }, { ok: false, kind: 'unreachable' });
    assert.equal(await storage.getServerKey('b.test', b.keyId), undefined, 'nothing stored');

    const withNotary = await ring({ transport, trustedKeyServers: trustNotary() });
    const r2 = await withNotary.verifyKey('b.test', b.keyId);
    assert.ok(r2.ok);
    assert.equal(r2.key.publicKey, b.publicKey);
  });

  it('refuses an answer naming another server', async () => {
    const transport = transportToAll();
    transport.urls.set('evil.test', b.baseUrl); // evil.test relays b.test's genuine keys
    const storage = await openFederationStorage(await ctx.open());
    const kr = await ring({ storage, transport });
    const r = await kr.verifyKey('evil.test', b.keyId);
    assert.equal(r.ok, false);
    assert.equal(r.ok ? undefined : r.kind, 'unreachable');
    assert.equal(await storage.getServerKey('evil.test', b.keyId), undefined);
    assert.equal(await storage.getServerKey('b.test', b.keyId), undefined);
  });

  it('refuses a notary answer not signed with the configured notary key', async () => {
    const transport = transportToAll();
    transport.down.add('b.test');
    const kr = await ring({ transport, trustedKeyServers: trustNotary(generateSigningKey('x').publicKeyBase64) });
    const r = await kr.verifyKey('b.test', b.keyId);
    assert.equal(r.ok ? 'ok' : r.kind, 'unreachable');
    assert.deepEqual(transport.calls, ['direct:b.test', 'notary:notary.test:b.test']);
  });

  it('honours old keys for signatures made before they expired, never for requests', async () => {
    const transport = transportToAll();
    const kr = await ring({ transport });
    const r = await kr.verifyKey('b.test', OLD_KEY.keyId, { atTs: OLD_EXPIRED_TS - 1 });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.key, {
      serverName: 'b.test',
      keyId: OLD_KEY.keyId,
      publicKey: OLD_KEY.publicKeyBase64,
      validUntilTs: OLD_EXPIRED_TS,
      old: true,
    });
    const late = await kr.verifyKey('b.test', OLD_KEY.keyId, { atTs: OLD_EXPIRED_TS + 1 });
    assert.equal(late.ok ? 'ok' : late.kind, 'expired');
    const request = await kr.verifyKey('b.test', OLD_KEY.keyId);
    assert.equal(request.ok ? 'ok' : request.kind, 'expired');
    // Room v1–4 ignore validity: the event's requirement accepts the old key at any time.
    const v4 = await kr.verifyKey('b.test', OLD_KEY.keyId, keyRequirementForEvent(roomVersion('4'), OLD_EXPIRED_TS + DAY));
    assert.equal(v4.ok, true);
    assert.equal(transport.count('direct:'), 1, 'one fetch; the rest from the caches (and the refetch gate)');
  });

  it('coalesces concurrent lookups of one server into one fetch', async () => {
    const transport = transportToAll();
    const kr = await ring({ transport });
    const results = await Promise.all([
      kr.verifyKey('b.test', b.keyId),
      kr.verifyKey('b.test', b.keyId),
      kr.verifyKey('b.test', b.keyId),
      kr.verifyKey('b.test', OLD_KEY.keyId, { atTs: OLD_EXPIRED_TS - 5 }),
      kr.verifyKey('b2.test', b2.keyId),
    ]);
    assert.deepEqual(results.map((r) => r.ok), [true, true, true, true, true]);
    assert.deepEqual(transport.calls.sort(), ['direct:b.test', 'direct:b2.test']);
  });

  it('backs off from a dead server, and from refetching a live one for unknown keys', async () => {
    const transport = transportToAll();
    transport.down.add('b.test');
    const clock = testClock();
    const kr = await ring({ transport, now: clock.now });
    const fail1 = await kr.verifyKey('b.test', b.keyId);
    assert.equal(fail1.ok ? 'ok' : fail1.kind, 'unreachable');
    assert.equal(transport.count('direct:b.test'), 1);
    for (let i = 0; i < 5; i++) assert.equal((await kr.verifyKey('b.test', b.keyId)).ok, false);
    assert.equal(transport.count('direct:b.test'), 1, 'not hammered while backing off');
    clock.advance(30_000);
    assert.equal((await kr.verifyKey('b.test', b.keyId)).ok, false);
    assert.equal(transport.count('direct:b.test'), 2);
    transport.down.delete('b.test');
    clock.advance(59_000);
    assert.equal((await kr.verifyKey('b.test', b.keyId)).ok, false, 'second failure: 60 s');
    clock.advance(1_000);
    assert.equal((await kr.verifyKey('b.test', b.keyId)).ok, true);
    assert.equal(transport.count('direct:b.test'), 3);

    const unknown = await kr.verifyKey('b.test', 'ed25519:nope');
    assert.equal(unknown.ok ? 'ok' : unknown.kind, 'not_found');
    clock.advance(10_000);
    assert.equal(((await kr.verifyKey('b.test', 'ed25519:nope')) as { kind?: string }).kind, 'not_found');
    assert.equal(transport.count('direct:b.test'), 4, 'unknown key IDs refetch at most every 10 s');
    assert.equal(((await kr.verifyKey('b.test', 'ed25519:nope2')) as { kind?: string }).kind, 'not_found');
    assert.equal(transport.count('direct:b.test'), 4);
  });

  it('answers our own keys locally', async () => {
    const me = generateSigningKey('me');
    const transport = transportToAll();
    const kr = await ring({ transport, serverName: 'self.test', ourKeys: { signingKeys: [me], validityPeriodMs: HOUR } });
    const t = Date.now();
    const r = await kr.verifyKey('self.test', me.keyId);
    assert.ok(r.ok);
    assert.equal(r.key.publicKey, me.publicKeyBase64);
    assert.ok(r.key.validUntilTs >= t + HOUR);
    const missing = await kr.verifyKey('self.test', 'ed25519:other');
    assert.equal(missing.ok ? 'ok' : missing.kind, 'not_found');
    assert.deepEqual(transport.calls, []);
  });

  it('never sends an invalid server name to the network', async () => {
    const transport = transportToAll();
    const kr = await ring({ transport });
    const r = await kr.verifyKey('bad name/../x', b.keyId);
    assert.equal(r.ok ? 'ok' : r.kind, 'not_found');
    assert.deepEqual(await kr.serverKeysForNotary('bad name', 0), []);
    assert.deepEqual(transport.calls, []);
  });

  it('v5+: a key is refetched when it is not valid long enough, and refused when it stays so', async () => {
    const transport = transportToAll();
    const clock = testClock();
    const kr = await ring({ transport, now: clock.now });
    const t = clock.now();
    const soon = await kr.verifyKey('b2.test', b2.keyId);
    assert.ok(soon.ok);
    assert.ok(soon.key.validUntilTs >= t + HOUR && soon.key.validUntilTs <= Date.now() + HOUR, 'b2 publishes one hour');
    // An event sent two hours from now in a v5 room needs more than b2 ever publishes.
    clock.advance(10_000);
    const v5 = await kr.verifyKey('b2.test', b2.keyId, keyRequirementForEvent(roomVersion('5'), t + 2 * HOUR));
    assert.equal(v5.ok ? 'ok' : v5.kind, 'expired');
    assert.equal(transport.count('direct:b2.test'), 2, 'it tried a fresh copy first');
    const v4 = await kr.verifyKey('b2.test', b2.keyId, keyRequirementForEvent(roomVersion('4'), t + 2 * HOUR));
    assert.equal(v4.ok, true);
    assert.equal(transport.count('direct:b2.test'), 2);
  });

  it('caps a stored key at seven days after fetching: after that it is fetched again', async () => {
    const transport = transportToAll();
    const clock = testClock();
    const kr = await ring({ transport, now: clock.now });
    assert.ok((await kr.verifyKey('b.test', b.keyId)).ok);
    clock.advance(6 * DAY);
    assert.ok((await kr.verifyKey('b.test', b.keyId)).ok);
    assert.equal(transport.count('direct:b.test'), 1, 'still within seven days');
    clock.advance(2 * DAY);
    const r = await kr.verifyKey('b.test', b.keyId);
    assert.ok(r.ok, 'b.test still publishes the key, valid for 30 days of real time');
    assert.equal(transport.count('direct:b.test'), 2, 'past the cap: refetched');
    assert.ok(r.key.validUntilTs >= clock.now() + 7 * DAY - 5_000 && r.key.validUntilTs <= clock.now() + 7 * DAY);
  });
});
