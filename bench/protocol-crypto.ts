/**
 * Throughput of the protocol core's crypto and format work on a realistic ~1 KB `m.room.message`
 * PDU of room version 11, ~2 s per measurement on one thread:
 * - `canonical_json_per_s`: canonical JSON of the whole PDU;
 * - `sign_per_s`: hashing and signing a new event (content hash, redaction, Ed25519 sign);
 * - `verify_per_s`: checking one server's signature on a received event (redaction, canonical
 *   JSON, Ed25519 verify with a cached public key);
 * - `hash_per_s`: the hashing a receiver does per event (content hash check and event ID).
 * Run alone with `npm run bench -- protocol-crypto`; the last line printed is JSON.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { buildEvent } from '../src/matrix/build-event.js';
import { canonicalJson } from '../src/matrix/canonical-json.js';
import { checkContentHash } from '../src/matrix/content-hash.js';
import { computeEventId } from '../src/matrix/event-id.js';
import type { JsonObject } from '../src/matrix/json.js';
import { roomVersion } from '../src/matrix/room-version.js';
import { hashAndSignEvent } from '../src/matrix/sign-event.js';
import { generateSigningKey } from '../src/matrix/signing-key.js';
import { verifyEventSignature } from '../src/matrix/verify-event.js';

/** Results of {@link benchCrypto}, operations per second. */
export interface CryptoBenchResult {
  readonly canonical_json_per_s: number;
  readonly sign_per_s: number;
  readonly verify_per_s: number;
  readonly hash_per_s: number;
}

const DURATION_MS = 2000;

/** Runs `fn` in batches for about `ms` and returns calls per second. */
function opsPerSecond(fn: () => unknown, ms = DURATION_MS): number {
  for (let i = 0; i < 200; i++) fn(); // warm up the JIT
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    elapsed = performance.now() - start;
  }
  return Math.round((n * 1000) / elapsed);
}

/** A signed v11 text message of about 1 KB, as it would arrive over federation. */
function sampleEvent(): { pdu: JsonObject; publicKey: string } {
  const key = generateSigningKey('bench');
  const body = 'The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ';
  const ev = buildEvent(
    {
      type: 'm.room.message',
      sender: '@alice:example.org',
      room_id: '!OGEhHVWSdvArJzumhm:example.org',
      content: {
        msgtype: 'm.text',
        body: body.repeat(2),
        format: 'org.matrix.custom.html',
        formatted_body: `<p>${body}</p><p><b>${body}</b></p>`,
        'm.mentions': { user_ids: ['@bob:example.com'] },
        'm.relates_to': { 'm.in_reply_to': { event_id: '$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg' } },
      },
      prev_events: ['$acR1l0raoZnm60CBwAVgqbZqoO_mYU81xysh1u7XcJk'],
      auth_events: [
        '$WX5lV4PH-aPD7dlmHgsFnHSAzQ4AfJKKKXL8Cs4bGyQ',
        '$8oA8J9wXj2zW4Qx_cZqU7Vg5tYbD6hKfLmNpRsTuVwX',
        '$bT9pX3lKz8rQ7yV2mN5cF1hJ6dG4sA0wE-uI_oPqRtY',
      ],
      depth: 52731,
      origin_server_ts: 1718000000000,
    },
    roomVersion('11'),
    { serverName: 'example.org', key },
  );
  return { pdu: { ...ev.json, unsigned: { age: 1234 } }, publicKey: key.publicKeyBase64 };
}

/** Measures the four figures (≈8 s in total). */
export async function benchCrypto(): Promise<CryptoBenchResult> {
  const rv = roomVersion('11');
  const { pdu, publicKey } = sampleEvent();
  const key = generateSigningKey('bench2');
  const { hashes: _h, signatures: _s, ...unsignedPdu } = pdu;
  if (!verifyEventSignature(pdu, rv, 'example.org', 'ed25519:bench', publicKey).ok) throw new Error('sample does not verify');

  const canonical_json_per_s = opsPerSecond(() => canonicalJson(pdu));
  await Promise.resolve();
  const sign_per_s = opsPerSecond(() => hashAndSignEvent(unsignedPdu, rv, 'example.org', key));
  await Promise.resolve();
  const verify_per_s = opsPerSecond(() => verifyEventSignature(pdu, rv, 'example.org', 'ed25519:bench', publicKey));
  await Promise.resolve();
  const hash_per_s = opsPerSecond(() => checkContentHash(pdu, rv) && computeEventId(pdu, rv));
  return { canonical_json_per_s, sign_per_s, verify_per_s, hash_per_s };
}

/** Bare Ed25519 verifications per second on the same machine, to read `verify_per_s` against. */
function rawVerifyBaseline(): number {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const data = Buffer.alloc(1000, 0x61);
  const sig = sign(null, data, privateKey);
  return opsPerSecond(() => verify(null, data, publicKey, sig));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { pdu } = sampleEvent();
  console.error(`sample PDU: ${Buffer.byteLength(canonicalJson(pdu))} bytes of canonical JSON`);
  console.error(`baseline: ${rawVerifyBaseline()} bare Ed25519 verifications/s (OpenSSL ${process.versions.openssl})`);
  console.log(JSON.stringify(await benchCrypto()));
}
