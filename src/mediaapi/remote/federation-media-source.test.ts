import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FederationRequest } from '../../federationapi/client/federation-client.js';
import type { StreamedHttpResponse } from '../../federationapi/client/send-http-request.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { createNetworkGuard } from '../../internal/net/network-guard.js';
import { multipartMediaBody } from '../download/multipart-media-body.js';
import { openMediaFileStore, type MediaFileStore } from '../files/media-file-store.js';
import { createGuardedStreamer } from '../preview/guarded-fetch.js';
import { createFederationMediaSource } from './federation-media-source.js';
import type { RemoteMediaSource } from './remote-media-source.js';

/** A canned answer of the origin, by request path. */
interface Canned {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

async function multipart(content: Buffer, headers: Record<string, string>): Promise<Canned> {
  const doc = multipartMediaBody(Readable.from([content]), content.length, headers);
  const chunks: Buffer[] = [];
  for await (const c of doc.stream) chunks.push(c as Buffer);
  return { status: 200, headers: { 'content-type': doc.contentType }, body: Buffer.concat(chunks) };
}

const json = (status: number, body: unknown): Canned => ({ status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) });

const AUTH_PATH = '/_matrix/federation/v1/media/download/m1';
const LEGACY_PATH = '/_matrix/media/v3/download/origin.test/m1';
const THUMB_PATH = '/_matrix/federation/v1/media/thumbnail/m1';
const LEGACY_THUMB_PATH = '/_matrix/media/v3/thumbnail/origin.test/m1';

describe('fetching remote media over federation', () => {
  let dir: string;
  let files: MediaFileStore;
  let target: Server;
  let targetHits = 0;
  let targetUrl: string;
  const payload = Buffer.from('bytes behind a Location');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'axon-remote-source-'));
    files = await openMediaFileStore(dir);
    target = createServer((_req, res) => {
      targetHits++;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename*=utf-8\'\'r%C3%A9sum%C3%A9.txt' });
      res.end(payload);
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/cdn/m1`;
  });
  after(async () => {
    await new Promise((r) => target.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A source whose origin answers from `answers`; `calls` records each request. */
  const sourceWith = (answers: Record<string, Canned>, calls: FederationRequest[], allowLoopback = false): RemoteMediaSource =>
    createFederationMediaSource({
      files,
      client: {
        async requestStream<T>(req: FederationRequest, consume: (res: StreamedHttpResponse) => Promise<T>): Promise<T> {
          calls.push(req);
          const a = answers[req.path] ?? json(404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
          return consume({ status: a.status, headers: a.headers, body: Readable.from([a.body]) });
        },
      },
      streamer: createGuardedStreamer({
        guard: createNetworkGuard({ allowNetworks: allowLoopback ? ['127.0.0.0/8'] : [], denyNetworks: ['127.0.0.0/8'] }),
        maxBytes: 1000,
      }),
    });
  const req = { origin: 'origin.test', mediaId: 'm1', waitMs: 5000, maxBytes: 1000 };

  it('stores the media part of the authenticated endpoint, signed, with no fallback', async () => {
    const calls: FederationRequest[] = [];
    const bytes = Buffer.from('hello media');
    const source = sourceWith({ [AUTH_PATH]: await multipart(bytes, { 'Content-Type': 'text/plain', 'Content-Disposition': 'inline; filename="a b.txt"' }) }, calls);
    const got = await source.fetch(req);
    assert.equal(got.contentType, 'text/plain');
    assert.equal(got.uploadName, 'a b.txt');
    assert.equal(got.file.size, bytes.length);
    assert.deepEqual(calls.map((c) => [c.path, c.signed, c.query?.timeout_ms]), [[AUTH_PATH, true, 5000]]);
  });

  it('falls back to the legacy endpoint, unsigned with allow_remote=false, only on 404 M_UNRECOGNIZED', async () => {
    const calls: FederationRequest[] = [];
    const legacy: Canned = { status: 200, headers: { 'content-type': 'image/png', 'content-disposition': 'inline; filename="x.png"' }, body: Buffer.from('png-ish') };
    const got = await sourceWith({ [LEGACY_PATH]: legacy }, calls).fetch(req);
    assert.equal(got.contentType, 'image/png');
    assert.equal(got.uploadName, 'x.png');
    assert.deepEqual(calls.map((c) => c.path), [AUTH_PATH, LEGACY_PATH]);
    assert.equal(calls[1]?.signed, false);
    assert.equal(calls[1]?.query?.allow_remote, false);

    const noFallback: FederationRequest[] = [];
    await assert.rejects(sourceWith({ [AUTH_PATH]: json(404, { errcode: 'M_NOT_FOUND', error: 'gone' }), [LEGACY_PATH]: legacy }, noFallback).fetch(req), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_NOT_FOUND');
    assert.deepEqual(noFallback.map((c) => c.path), [AUTH_PATH]);
  });

  it("maps the origin's refusals: not yet uploaded, too large, server errors", async () => {
    const cases: [Canned, number, string][] = [
      [json(504, { errcode: 'M_NOT_YET_UPLOADED', error: 'wait' }), 504, 'M_NOT_YET_UPLOADED'],
      [json(502, { errcode: 'M_TOO_LARGE', error: 'big' }), 502, 'M_TOO_LARGE'],
      [json(500, { errcode: 'M_UNKNOWN', error: 'boom' }), 502, 'M_UNKNOWN'],
      [{ status: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from('not multipart') }, 502, 'M_UNKNOWN'],
    ];
    for (const [answer, status, errcode] of cases) {
      await assert.rejects(sourceWith({ [AUTH_PATH]: answer }, []).fetch(req), (e: unknown) => e instanceof MatrixError && e.status === status && e.errcode === errcode);
    }
  });

  it('follows a Location part through the network guard, and refuses one in a denied network', async () => {
    const located = await multipart(Buffer.alloc(0), { Location: targetUrl });
    const got = await sourceWith({ [AUTH_PATH]: located }, [], true).fetch(req);
    assert.equal(got.contentType, 'text/plain');
    assert.equal(got.uploadName, 'résumé.txt');
    assert.equal(got.file.size, payload.length);
    assert.equal(targetHits, 1);

    await assert.rejects(sourceWith({ [AUTH_PATH]: located }, []).fetch(req), (e: unknown) => e instanceof MatrixError && e.status === 502 && /denied|blocked|not allowed/i.test(e.message));
    assert.equal(targetHits, 1, 'the denied address was never contacted');
  });

  it('stops a body over the limit as it streams, leaving no file', async () => {
    const answer = await multipart(Buffer.alloc(5000, 1), { 'Content-Type': 'application/octet-stream' });
    await assert.rejects(sourceWith({ [AUTH_PATH]: answer }, []).fetch(req), (e: unknown) => e instanceof MatrixError && e.status === 502 && e.errcode === 'M_TOO_LARGE');
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  });

  const thumbReq = { ...req, width: 96, height: 64, method: 'crop' as const, animated: true };

  it('asks the thumbnail endpoint, signed, with the box, and stores the part with its type', async () => {
    const calls: FederationRequest[] = [];
    const bytes = Buffer.from('png thumbnail');
    const got = await sourceWith({ [THUMB_PATH]: await multipart(bytes, { 'Content-Type': 'image/png' }) }, calls).fetchThumbnail(thumbReq);
    assert.equal(got?.contentType, 'image/png');
    assert.equal(got?.file.size, bytes.length);
    assert.deepEqual(
      calls.map((c) => [c.path, c.signed, c.query]),
      [[THUMB_PATH, true, { width: 96, height: 64, method: 'crop', animated: true, timeout_ms: 5000 }]],
    );
  });

  it('falls back to the legacy thumbnail endpoint on 404 M_UNRECOGNIZED, with allow_remote=false', async () => {
    const calls: FederationRequest[] = [];
    const legacy: Canned = { status: 200, headers: { 'content-type': 'image/jpeg' }, body: Buffer.from('jpeg-ish') };
    const got = await sourceWith({ [LEGACY_THUMB_PATH]: legacy }, calls).fetchThumbnail(thumbReq);
    assert.equal(got?.contentType, 'image/jpeg');
    assert.equal(got?.file.size, 8);
    assert.deepEqual(calls.map((c) => [c.path, c.signed]), [[THUMB_PATH, true], [LEGACY_THUMB_PATH, false]]);
    assert.deepEqual(calls[1]?.query, { width: 96, height: 64, method: 'crop', animated: true, allow_remote: false, allow_redirect: true, timeout_ms: 5000 });
  });

  it("answers null when the origin cannot thumbnail (400, 404, 413, or no endpoint), errors otherwise", async () => {
    const none: [Record<string, Canned>, number][] = [
      [{ [THUMB_PATH]: json(404, { errcode: 'M_NOT_FOUND', error: 'no thumbnail' }) }, 1],
      [{ [THUMB_PATH]: json(400, { errcode: 'M_UNKNOWN', error: 'cannot thumbnail' }) }, 1],
      [{ [THUMB_PATH]: json(413, { errcode: 'M_TOO_LARGE', error: 'too big to thumbnail' }) }, 1],
      [{}, 2],
      [{ [LEGACY_THUMB_PATH]: json(400, { errcode: 'M_UNKNOWN', error: 'cannot' }) }, 2],
    ];
    for (const [answers, n] of none) {
      const calls: FederationRequest[] = [];
      assert.equal(await sourceWith(answers, calls).fetchThumbnail(thumbReq), null);
      assert.equal(calls.length, n);
    }
    const errors: [Canned, number, string][] = [
      [json(504, { errcode: 'M_NOT_YET_UPLOADED', error: 'wait' }), 504, 'M_NOT_YET_UPLOADED'],
      [json(502, { errcode: 'M_TOO_LARGE', error: 'big' }), 502, 'M_TOO_LARGE'],
      [json(500, { errcode: 'M_UNKNOWN', error: 'boom' }), 502, 'M_UNKNOWN'],
      [await multipart(Buffer.alloc(5000, 1), { 'Content-Type': 'image/png' }), 502, 'M_TOO_LARGE'],
    ];
    for (const [answer, status, errcode] of errors) {
      await assert.rejects(sourceWith({ [THUMB_PATH]: answer }, []).fetchThumbnail(thumbReq), (e: unknown) => e instanceof MatrixError && e.status === status && e.errcode === errcode);
    }
  });

  it('follows a thumbnail Location through the network guard', async () => {
    const located = await multipart(Buffer.alloc(0), { Location: targetUrl });
    const hits = targetHits;
    const got = await sourceWith({ [THUMB_PATH]: located }, [], true).fetchThumbnail(thumbReq);
    assert.equal(got?.file.size, payload.length);
    assert.equal(targetHits, hits + 1);
    await assert.rejects(sourceWith({ [THUMB_PATH]: located }, []).fetchThumbnail(thumbReq), (e: unknown) => e instanceof MatrixError && e.status === 502);
    assert.equal(targetHits, hits + 1);
  });
});
