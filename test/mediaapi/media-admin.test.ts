/**
 * The admin hooks seen from HTTP: a quarantined media and its thumbnails answer 404 until
 * released; a deleted media is gone, its file removed unless another media shares the bytes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadUrl, jpeg, request, startMediaTestServer, uploadOk, type MediaTestServer } from './media-test-kit.js';

describe('media quarantine and deletion', () => {
  let s: MediaTestServer;
  before(async () => {
    s = await startMediaTestServer();
  });
  after(() => s.stop());

  const filePath = (hashHex: string) => join(s.monolith.server.config.media.path, hashHex.slice(0, 2), hashHex.slice(2, 4), hashHex);
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('hides quarantined media and thumbnails, and shows them again when released', async () => {
    const img = await jpeg(400, 300);
    const id = await uploadOk(s, img, 'image/jpeg', 'pic.jpg');
    const thumbUrl = `${s.url}/_matrix/client/v1/media/thumbnail/hs.test/${id}?width=32&height=32&method=crop`;
    assert.equal((await request(thumbUrl, { token: s.bob.accessToken })).status, 200);

    assert.deepEqual(await s.media.performMediaQuarantine({ origin: 'hs.test', mediaId: id, quarantined: true }), { found: true });
    const d = await request(downloadUrl(s, id), { token: s.bob.accessToken });
    assert.equal(d.status, 404);
    assert.equal(d.json?.errcode, 'M_NOT_FOUND');
    assert.equal((await request(thumbUrl, { token: s.bob.accessToken })).status, 404);
    const info = await s.media.queryMedia({ origin: 'hs.test', mediaId: id });
    assert.equal(info.media?.quarantined, true);
    assert.equal(info.media?.contentType, 'image/jpeg');
    assert.equal(info.media?.uploadName, 'pic.jpg');
    assert.equal(info.media?.size, img.length);
    assert.equal(info.media?.userId, s.alice.userId);
    assert.equal(info.media?.contentUri, `mxc://hs.test/${id}`);

    await s.media.performMediaQuarantine({ origin: 'hs.test', mediaId: id, quarantined: false });
    assert.equal((await request(downloadUrl(s, id), { token: s.bob.accessToken })).status, 200);
    assert.deepEqual(await s.media.performMediaQuarantine({ origin: 'hs.test', mediaId: 'nosuch', quarantined: true }), { found: false });
  });

  it('deletes media, keeping a file another media still uses', async () => {
    const bytes = Buffer.from('shared bytes');
    const a = await uploadOk(s, bytes, 'text/plain');
    const b = await uploadOk(s, bytes, 'text/plain');
    const hash = sha256(bytes);
    assert.ok(existsSync(filePath(hash)));
    assert.deepEqual(await s.media.performMediaDelete({ origin: 'hs.test', mediaId: a }), { deleted: true });
    assert.equal((await request(downloadUrl(s, a), { token: s.bob.accessToken })).status, 404);
    assert.ok(existsSync(filePath(hash)), 'still used by the second media');
    assert.equal((await request(downloadUrl(s, b), { token: s.bob.accessToken })).bytes.toString(), 'shared bytes');
    assert.deepEqual(await s.media.performMediaDelete({ origin: 'hs.test', mediaId: b }), { deleted: true });
    assert.ok(!existsSync(filePath(hash)), 'unused file removed');
    assert.deepEqual(await s.media.performMediaDelete({ origin: 'hs.test', mediaId: b }), { deleted: false });
    assert.deepEqual(await s.media.queryMedia({ origin: 'hs.test', mediaId: b }), { media: null });
  });

  it('offers Synapse\'s media admin routes to admins only', async () => {
    const admin = await s.register('root', true);
    const id = await uploadOk(s, Buffer.from('admin me'), 'text/plain');
    const adminCall = (method: string, path: string, token: string) => request(`${s.url}/_synapse/admin/v1/media/${path}`, { method, token });
    const denied = await adminCall('POST', `quarantine/hs.test/${id}`, s.alice.accessToken);
    assert.equal(denied.status, 403);
    assert.equal(denied.json?.errcode, 'M_FORBIDDEN');
    assert.equal((await adminCall('POST', `quarantine/hs.test/${id}`, admin.accessToken)).status, 200);
    assert.equal((await request(downloadUrl(s, id), { token: s.bob.accessToken })).status, 404);
    assert.equal((await adminCall('POST', `unquarantine/hs.test/${id}`, admin.accessToken)).status, 200);
    assert.equal((await request(downloadUrl(s, id), { token: s.bob.accessToken })).status, 200);
    const del = await adminCall('DELETE', `hs.test/${id}`, admin.accessToken);
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, { deleted_media: [id], total: 1 });
    assert.equal((await adminCall('DELETE', `hs.test/${id}`, admin.accessToken)).status, 404);
    assert.equal((await adminCall('POST', 'quarantine/hs.test/nosuch', admin.accessToken)).status, 404);
  });
});
