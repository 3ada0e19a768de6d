/**
 * Async uploads (`/create` then `PUT`): the reservation's answer, the upload by its creator only
 * and only once, downloads waiting for the bytes (and giving up with M_NOT_YET_UPLOADED), and the
 * limit on reservations held at once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { downloadUrl, request, startMediaTestServer, type MediaTestServer } from './media-test-kit.js';

describe('async media upload', () => {
  let s: MediaTestServer;
  before(async () => {
    s = await startMediaTestServer({ max_pending_uploads: 3, unused_expiry_ms: 60_000 });
  });
  after(() => s.stop());

  const create = (token: string) => request(`${s.url}/_matrix/media/v1/create`, { method: 'POST', token });
  const put = (token: string, mediaId: string, body: Buffer, type = 'application/octet-stream', filename?: string) =>
    request(`${s.url}/_matrix/media/v3/upload/hs.test/${mediaId}${filename ? `?filename=${filename}` : ''}`, {
      method: 'PUT',
      token,
      headers: { 'content-type': type },
      body,
    });
  const idOf = (uri: unknown) => String(uri).split('/').pop()!;

  it('creates an mxc URI with an expiry and accepts one upload by its creator', async () => {
    const before = Date.now();
    const c = await create(s.alice.accessToken);
    assert.equal(c.status, 200);
    assert.match(String(c.json?.content_uri), /^mxc:\/\/hs\.test\/[A-Za-z0-9_-]+$/);
    const expires = Number(c.json?.unused_expires_at);
    assert.ok(expires >= before + 60_000 && expires <= Date.now() + 60_000, String(expires));
    const id = idOf(c.json?.content_uri);

    const byBob = await put(s.bob.accessToken, id, Buffer.from('bob'));
    assert.equal(byBob.status, 403);
    assert.equal(byBob.json?.errcode, 'M_FORBIDDEN');

    const bytes = randomBytes(5000);
    const ok = await put(s.alice.accessToken, id, bytes, 'text/plain', 'notes.txt');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, {});
    const again = await put(s.alice.accessToken, id, Buffer.from('again'));
    assert.equal(again.status, 409);
    assert.equal(again.json?.errcode, 'M_CANNOT_OVERWRITE_MEDIA');

    const got = await request(downloadUrl(s, id), { token: s.bob.accessToken });
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(bytes));
    assert.equal(got.headers.get('content-disposition'), 'inline; filename="notes.txt"');
  });

  it('answers M_NOT_FOUND for a PUT to an unknown or foreign media ID', async () => {
    const unknown = await put(s.alice.accessToken, 'nosuchmedia', Buffer.from('x'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json?.errcode, 'M_NOT_FOUND');
    const foreign = await request(`${s.url}/_matrix/media/v3/upload/other.example/abc`, { method: 'PUT', token: s.alice.accessToken, body: Buffer.from('x') });
    assert.equal(foreign.status, 404);
  });

  it('makes a download wait for the upload, and time out with M_NOT_YET_UPLOADED', async () => {
    const id = idOf((await create(s.alice.accessToken)).json?.content_uri);
    const t0 = Date.now();
    const early = await request(downloadUrl(s, id, '?timeout_ms=300'), { token: s.bob.accessToken });
    assert.equal(early.status, 504);
    assert.equal(early.json?.errcode, 'M_NOT_YET_UPLOADED');
    assert.ok(Date.now() - t0 >= 290, 'waited for the timeout');

    const waiting = request(downloadUrl(s, id, '?timeout_ms=10000'), { token: s.bob.accessToken });
    await new Promise((r) => setTimeout(r, 200));
    const t1 = Date.now();
    assert.equal((await put(s.alice.accessToken, id, Buffer.from('arrived'), 'text/plain')).status, 200);
    const got = await waiting;
    assert.equal(got.status, 200);
    assert.equal(got.bytes.toString(), 'arrived');
    assert.ok(Date.now() - t1 < 900, 'woken by the upload rather than by polling');
  });

  it('limits the reservations a user holds with M_LIMIT_EXCEEDED', async () => {
    const carol = await s.register('carol');
    for (let i = 0; i < 3; i++) assert.equal((await create(carol.accessToken)).status, 200);
    const fourth = await create(carol.accessToken);
    assert.equal(fourth.status, 429);
    assert.equal(fourth.json?.errcode, 'M_LIMIT_EXCEEDED');
    // Other users are not affected.
    assert.equal((await create(s.bob.accessToken)).status, 200);
  });
});
