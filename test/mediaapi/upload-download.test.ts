/**
 * Upload and download over real HTTP: byte-identical round trips, recorded type and name, the
 * size limit (also on a streamed body without Content-Length), the safe download headers,
 * range requests, the config endpoint and the legacy unauthenticated switch.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MEDIA_CSP } from '../../src/mediaapi/download/send-media.js';
import { downloadUrl, pngWithAlpha, request, startMediaTestServer, upload, uploadOk, type MediaTestServer } from './media-test-kit.js';

describe('media upload and download', () => {
  let s: MediaTestServer;
  before(async () => {
    s = await startMediaTestServer({ max_upload_bytes: 100_000 });
  });
  after(() => s.stop());

  it('round-trips bytes exactly with their type and name', async () => {
    const bytes = randomBytes(50_000);
    const id = await uploadOk(s, bytes, 'application/x-thing', 'report 2024.bin');
    const res = await request(downloadUrl(s, id), { token: s.bob.accessToken });
    assert.equal(res.status, 200);
    assert.ok(res.bytes.equals(bytes));
    assert.equal(res.headers.get('content-type'), 'application/x-thing');
    assert.equal(res.headers.get('content-length'), '50000');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="report 2024.bin"');
    assert.equal(res.headers.get('content-security-policy'), MEDIA_CSP);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
  });

  it('serves safe types inline and dangerous ones as attachments, with sanitised names', async () => {
    const png = await uploadOk(s, Buffer.from('not really a png'), 'image/png', 'a.png');
    const html = await uploadOk(s, Buffer.from('<script>alert(1)</script>'), 'text/html', 'x.html');
    const svg = await uploadOk(s, Buffer.from('<svg/>'), 'image/svg+xml');
    const named = await uploadOk(s, Buffer.from('hi'), 'text/plain', '../../etc/"pässwd"');
    const get = (id: string, suffix = '') => request(downloadUrl(s, id, suffix), { token: s.alice.accessToken });
    assert.equal((await get(png)).headers.get('content-disposition'), 'inline; filename="a.png"');
    assert.equal((await get(html)).headers.get('content-disposition'), 'attachment; filename="x.html"');
    assert.equal((await get(svg)).headers.get('content-disposition'), 'attachment');
    assert.equal((await get(named)).headers.get('content-disposition'), "inline; filename*=utf-8''p%C3%A4sswd");
    // The name in the URL wins over the uploaded one.
    assert.equal((await get(png, '/other.png')).headers.get('content-disposition'), 'inline; filename="other.png"');
  });

  it('defaults a missing Content-Type to application/octet-stream', async () => {
    const res = await request(`${s.url}/_matrix/media/v3/upload`, { method: 'POST', token: s.alice.accessToken, body: Buffer.from('x') });
    assert.equal(res.status, 200);
    const id = String(res.json?.content_uri).split('/').pop()!;
    const got = await request(downloadUrl(s, id), { token: s.alice.accessToken });
    assert.equal(got.headers.get('content-type'), 'application/octet-stream');
  });

  it('refuses bodies over the limit with M_TOO_LARGE, declared or streamed', async () => {
    const declared = await upload(s, s.alice.accessToken, randomBytes(100_001), 'application/octet-stream');
    assert.equal(declared.status, 413);
    assert.equal(declared.json?.errcode, 'M_TOO_LARGE');
    // A chunked body (no Content-Length) is cut off while it streams.
    async function* chunks() {
      for (let i = 0; i < 30; i++) yield randomBytes(10_000);
    }
    const streamed = await request(`${s.url}/_matrix/media/v3/upload`, {
      method: 'POST',
      token: s.alice.accessToken,
      headers: { 'content-type': 'application/octet-stream' },
      body: ReadableStream.from(chunks()),
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(streamed.json?.errcode, 'M_TOO_LARGE');
    const exact = await upload(s, s.alice.accessToken, randomBytes(100_000), 'application/octet-stream');
    assert.equal(exact.status, 200);
    // The refused bodies left nothing behind.
    assert.deepEqual(readdirSync(join(s.monolith.server.config.media.path, 'tmp')), []);
  });

  it('requires a token to upload and to download', async () => {
    const up = await request(`${s.url}/_matrix/media/v3/upload`, { method: 'POST', body: Buffer.from('x') });
    assert.equal(up.status, 401);
    assert.equal(up.json?.errcode, 'M_MISSING_TOKEN');
    const id = await uploadOk(s, Buffer.from('x'), 'text/plain');
    const down = await request(downloadUrl(s, id));
    assert.equal(down.status, 401);
  });

  it('answers ranges with 206 and unsatisfiable ones with 416', async () => {
    const bytes = randomBytes(1000);
    const id = await uploadOk(s, bytes, 'video/mp4');
    const get = (range: string) => request(downloadUrl(s, id), { token: s.alice.accessToken, headers: { range } });
    const mid = await get('bytes=100-199');
    assert.equal(mid.status, 206);
    assert.equal(mid.headers.get('content-range'), 'bytes 100-199/1000');
    assert.ok(mid.bytes.equals(bytes.subarray(100, 200)));
    const open = await get('bytes=900-');
    assert.equal(open.status, 206);
    assert.ok(open.bytes.equals(bytes.subarray(900)));
    const suffix = await get('bytes=-10');
    assert.equal(suffix.headers.get('content-range'), 'bytes 990-999/1000');
    assert.ok(suffix.bytes.equals(bytes.subarray(990)));
    const past = await get('bytes=1000-');
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), 'bytes */1000');
  });

  it('answers unknown and malformed media with M_NOT_FOUND, unreachable remote media with 502', async () => {
    for (const path of ['hs.test/doesnotexist', 'hs.test/bad.id', 'bad_server!/abcdef']) {
      const res = await request(`${s.url}/_matrix/client/v1/media/download/${path}`, { token: s.alice.accessToken });
      assert.equal(res.status, 404, path);
      assert.equal(res.json?.errcode, 'M_NOT_FOUND', path);
    }
    // A private address is in the default deny list: refused without a connection attempt.
    const res = await request(`${s.url}/_matrix/client/v1/media/download/10.0.0.1/abcdef`, { token: s.alice.accessToken });
    assert.equal(res.status, 502);
    assert.equal(res.json?.errcode, 'M_UNKNOWN');
    assert.match(String(res.json?.error), /denied network/);
  });

  it('serves the upload limit at the config endpoints', async () => {
    for (const path of ['/_matrix/client/v1/media/config', '/_matrix/media/v3/config']) {
      const res = await request(s.url + path, { token: s.alice.accessToken });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { 'm.upload.size': 100_000 });
    }
  });

  it('keeps the legacy unauthenticated download off by default', async () => {
    const id = await uploadOk(s, Buffer.from('legacy'), 'text/plain');
    const res = await request(`${s.url}/_matrix/media/v3/download/hs.test/${id}`);
    assert.equal(res.status, 404);
    assert.equal(res.json?.errcode, 'M_NOT_FOUND');
    const r0 = await request(`${s.url}/_matrix/media/r0/download/hs.test/${id}`);
    assert.equal(r0.status, 404);
  });
});

describe('legacy unauthenticated media switched on', () => {
  let s: MediaTestServer;
  before(async () => {
    s = await startMediaTestServer({ legacy_unauthenticated: true });
  });
  after(() => s.stop());

  it('serves /_matrix/media/v3/download and r0 without a token', async () => {
    const id = await uploadOk(s, Buffer.from('legacy bytes'), 'text/plain', 'l.txt');
    for (const v of ['v3', 'r0']) {
      const res = await request(`${s.url}/_matrix/media/${v}/download/hs.test/${id}`);
      assert.equal(res.status, 200);
      assert.equal(res.bytes.toString(), 'legacy bytes');
      assert.equal(res.headers.get('content-disposition'), 'inline; filename="l.txt"');
    }
    const png = await uploadOk(s, await pngWithAlpha(100, 100), 'image/png');
    const thumb = await request(`${s.url}/_matrix/media/v3/thumbnail/hs.test/${png}?width=32&height=32&method=crop`);
    assert.equal(thumb.status, 200);
    assert.equal(thumb.headers.get('content-type'), 'image/png');
    const remote = await request(`${s.url}/_matrix/media/v3/download/other.example/abc?allow_remote=false`);
    assert.equal(remote.status, 404);
    assert.equal(remote.json?.errcode, 'M_NOT_FOUND');
  });
});
