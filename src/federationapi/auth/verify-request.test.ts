import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { encodeBase64 } from '../../matrix/base64.js';
import { canonicalJson } from '../../matrix/canonical-json.js';
import { ed25519Sign } from '../../matrix/ed25519.js';
import type { JsonValue } from '../../matrix/json.js';
import { generateSigningKey } from '../../matrix/signing-key.js';
import type { FederationKeyLookup } from './federation-key-lookup.js';
import { signedXMatrixHeader, type RequestToSign } from './test-signed-request.js';
import { MAX_X_MATRIX_HEADERS, verifyFederationRequest, type FederationRequestToVerify } from './verify-request.js';

const ORIGIN = 'origin.example:8448';
const US = 'dest.example';
const NOW = 1_700_000_000_000;
const key = generateSigningKey('k1');
const other = generateSigningKey('k2');

interface Lookup {
  readonly serverName: string;
  readonly keyId: string;
  readonly atTs: number;
}

/** A key ring knowing `key` (and `other`) of ORIGIN, recording every question. */
function keyRing(known: Record<string, string> = { [key.keyId]: key.publicKeyBase64 }) {
  const lookups: Lookup[] = [];
  const keys: FederationKeyLookup = {
    verifyKey: async (serverName, keyId, { atTs }) => {
      lookups.push({ serverName, keyId, atTs });
      return serverName === ORIGIN ? known[keyId] : undefined;
    },
  };
  return { keys, lookups };
}

const PUT_URI = '/_matrix/federation/v1/send/txn1?x=a%2Fb&y=1';
const BODY = { pdus: [], edus: [{ edu_type: 'm.typing', content: { typing: true } }] };
const sign = (over: Partial<RequestToSign> = {}): string =>
  signedXMatrixHeader({ method: 'PUT', uri: PUT_URI, origin: ORIGIN, destination: US, content: BODY, key, ...over });

function request(authorization: string | string[] | undefined, over: Partial<FederationRequestToVerify> = {}) {
  return {
    method: 'PUT',
    uri: PUT_URI,
    headers: { authorization },
    body: BODY as JsonValue | undefined,
    ourServerName: US,
    keys: keyRing().keys,
    now: NOW,
    ...over,
  };
}

async function rejects401(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof MatrixError, String(e));
    assert.equal(e.status, 401);
    assert.equal(e.errcode, 'M_UNAUTHORIZED');
    assert.equal(e.message, message);
    return true;
  });
}

describe('verifyFederationRequest: accepted requests', () => {
  it('verifies a signed PUT with a body, asking the key ring for the key at the given time', async () => {
    const ring = keyRing();
    const v = await verifyFederationRequest(request(sign(), { keys: ring.keys }));
    assert.deepEqual(v, { origin: ORIGIN, keyId: 'ed25519:k1' });
    assert.deepEqual(ring.lookups, [{ serverName: ORIGIN, keyId: 'ed25519:k1', atTs: NOW }]);
  });

  it('verifies a GET without content', async () => {
    const uri = '/_matrix/federation/v1/state_ids/!r:x?event_id=$e';
    const h = sign({ method: 'GET', uri, content: undefined });
    const v = await verifyFederationRequest(request(h, { method: 'GET', uri, body: undefined }));
    assert.equal(v.origin, ORIGIN);
  });

  it('accepts a header without destination (pre-v1.3 sender) that signed our name', async () => {
    const v = await verifyFederationRequest(request(sign({ headerDestination: null })));
    assert.equal(v.keyId, 'ed25519:k1');
  });

  it('accepts the request when any header verifies (one per key)', async () => {
    const ring = keyRing({ [key.keyId]: key.publicKeyBase64 });
    const headers = [sign({ key: other }), 'Bearer not-for-us', sign()];
    const v = await verifyFederationRequest(request(headers, { keys: ring.keys }));
    assert.deepEqual(v, { origin: ORIGIN, keyId: 'ed25519:k1' });
    assert.deepEqual(
      ring.lookups.map((l) => l.keyId),
      ['ed25519:k2', 'ed25519:k1'],
    );
  });

  it('checks content leniently, so bodies with floats (room v1–5 events) verify', async () => {
    const content = { pdus: [{ content: { amount: 50.57 } }] };
    const text = canonicalJson({ method: 'PUT', uri: PUT_URI, origin: ORIGIN, destination: US, content }, { strict: false });
    const sig = encodeBase64(ed25519Sign(Buffer.from(text, 'utf8'), key.secretKey));
    const h = `X-Matrix origin="${ORIGIN}",destination="${US}",key="${key.keyId}",sig="${sig}"`;
    assert.equal((await verifyFederationRequest(request(h, { body: content }))).origin, ORIGIN);
  });
});

describe('verifyFederationRequest: refused requests', () => {
  it('refuses a request without an X-Matrix header', async () => {
    await rejects401(verifyFederationRequest(request(undefined)), 'Missing X-Matrix Authorization header');
    await rejects401(verifyFederationRequest(request('Bearer abc')), 'Missing X-Matrix Authorization header');
    await rejects401(verifyFederationRequest(request([])), 'Missing X-Matrix Authorization header');
  });

  it('refuses a malformed header with the parser reason', async () => {
    await rejects401(
      verifyFederationRequest(request('X-Matrix origin="o.example,key=ed25519:k1,sig=abc')),
      'Malformed X-Matrix Authorization header: unterminated quoted value',
    );
  });

  it('refuses an invalid origin server name without asking the key ring', async () => {
    const ring = keyRing();
    const h = `X-Matrix origin="bad_name!",key="ed25519:k1",sig="abc"`;
    await rejects401(
      verifyFederationRequest(request(h, { keys: ring.keys })),
      'Invalid origin server name "bad_name!": "bad_name!" is not a valid DNS name',
    );
    assert.deepEqual(ring.lookups, []);
  });

  it('refuses a request addressed to another server without asking the key ring', async () => {
    const ring = keyRing();
    const h = sign({ destination: 'other.example' });
    await rejects401(
      verifyFederationRequest(request(h, { keys: ring.keys })),
      'Request is for destination "other.example", not dest.example',
    );
    assert.deepEqual(ring.lookups, []);
  });

  it('refuses a header naming us when the signature covered another destination', async () => {
    const h = sign({ destination: 'other.example', headerDestination: US });
    await rejects401(verifyFederationRequest(request(h)), `Invalid signature from ${ORIGIN} with key "ed25519:k1"`);
  });

  it('refuses an unknown or expired key, naming origin and key ID', async () => {
    await rejects401(
      verifyFederationRequest(request(sign({ key: other }))),
      `Unknown or expired key "ed25519:k2" of ${ORIGIN}`,
    );
  });

  it('refuses when the key ring fails, without passing its error on', async () => {
    const keys: FederationKeyLookup = {
      verifyKey: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:8448');
      },
    };
    await rejects401(verifyFederationRequest(request(sign(), { keys })), `Could not fetch key "ed25519:k1" of ${ORIGIN}`);
  });

  it('refuses a key of another algorithm without asking the key ring', async () => {
    const ring = keyRing();
    const h = `X-Matrix origin="${ORIGIN}",key="curve25519:k1",sig="abc"`;
    await rejects401(
      verifyFederationRequest(request(h, { keys: ring.keys })),
      `Unsupported signing algorithm in key "curve25519:k1" of ${ORIGIN}`,
    );
    assert.deepEqual(ring.lookups, []);
  });

  it('refuses any change to what was signed: method, uri, query, body, content presence', async () => {
    const bad = `Invalid signature from ${ORIGIN} with key "ed25519:k1"`;
    const h = sign();
    const changes: Partial<FederationRequestToVerify>[] = [
      { method: 'POST' },
      { uri: '/_matrix/federation/v1/send/txn2?x=a%2Fb&y=1' },
      { uri: '/_matrix/federation/v1/send/txn1?x=a/b&y=1' },
      { uri: '/_matrix/federation/v1/send/txn1?x=a%2Fb&y=2' },
      { uri: '/_matrix/federation/v1/send/txn1' },
      { body: { ...BODY, pdus: [{}] } },
      { body: undefined },
      { ourServerName: 'dest.example:8448' },
    ];
    for (const change of changes) {
      const dest = change.ourServerName;
      // A changed server name must not trip the destination check first: leave it out of the header.
      const header = dest ? sign({ headerDestination: null }) : h;
      await rejects401(verifyFederationRequest(request(header, change)), bad);
    }
    const noContent = sign({ content: undefined });
    await rejects401(verifyFederationRequest(request(noContent)), bad);
  });

  it('refuses a signature made by another key under the claimed key ID', async () => {
    await rejects401(
      verifyFederationRequest(request(sign({ key: other, headerKeyId: key.keyId }))),
      `Invalid signature from ${ORIGIN} with key "ed25519:k1"`,
    );
  });

  it('gives every header its reason when none verifies', async () => {
    const headers = [sign({ key: other }), 'X-Matrix origin=o.example', sign({ uri: '/elsewhere' })];
    await rejects401(
      verifyFederationRequest(request(headers)),
      `Unknown or expired key "ed25519:k2" of ${ORIGIN}; ` +
        'Malformed X-Matrix Authorization header: the "key" parameter is missing; ' +
        `Invalid signature from ${ORIGIN} with key "ed25519:k1"`,
    );
  });

  it(`refuses more than ${MAX_X_MATRIX_HEADERS} X-Matrix headers without asking the key ring`, async () => {
    const ring = keyRing();
    const headers = Array.from({ length: MAX_X_MATRIX_HEADERS + 1 }, () => sign());
    await rejects401(
      verifyFederationRequest(request(headers, { keys: ring.keys })),
      `Too many X-Matrix Authorization headers (at most ${MAX_X_MATRIX_HEADERS})`,
    );
    assert.deepEqual(ring.lookups, []);
  });

  it('bounds a long key ID in messages', async () => {
    const long = `ed25519:${'a'.repeat(300)}`;
    const e = await verifyFederationRequest(request(sign({ headerKeyId: long }))).catch((err: unknown) => err);
    assert.ok(e instanceof MatrixError);
    assert.equal(e.message, `Unknown or expired key "${long.slice(0, 100)}…" of ${ORIGIN}`);
  });
});
