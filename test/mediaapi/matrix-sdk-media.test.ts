/** matrix-js-sdk against a real monolith: `uploadContent`, then an authenticated download of `mxcUrlToHttp`. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createSdkClient } from '../harness/matrix-sdk-client.js';
import { jpeg, startMediaTestServer, type MediaTestServer } from './media-test-kit.js';

describe('media with matrix-js-sdk', () => {
  let s: MediaTestServer;
  before(async () => {
    s = await startMediaTestServer();
  });
  after(() => s.stop());

  it('uploads with uploadContent and downloads the same bytes through mxcUrlToHttp', async () => {
    const client = createSdkClient(s.url, { userId: s.alice.userId, accessToken: s.alice.accessToken, deviceId: s.alice.deviceId });
    const bytes = randomBytes(200_000);
    const { content_uri: uri } = await client.uploadContent(new Blob([bytes], { type: 'application/pdf' }), { name: 'paper.pdf', type: 'application/pdf' });
    assert.match(uri, /^mxc:\/\/hs\.test\/[A-Za-z0-9_-]+$/);

    const httpUrl = client.mxcUrlToHttp(uri, undefined, undefined, undefined, false, true, true);
    assert.ok(httpUrl?.includes('/_matrix/client/v1/media/download/hs.test/'), String(httpUrl));
    const res = await fetch(httpUrl!, { headers: { authorization: `Bearer ${s.bob.accessToken}` } });
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes));
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="paper.pdf"');
    const noToken = await fetch(httpUrl!);
    assert.equal(noToken.status, 401);
  });

  it('serves a thumbnail at the URL mxcUrlToHttp builds for a size', async () => {
    const client = createSdkClient(s.url, { userId: s.alice.userId, accessToken: s.alice.accessToken, deviceId: s.alice.deviceId });
    const { content_uri: uri } = await client.uploadContent(new Blob([await jpeg(640, 480)], { type: 'image/jpeg' }), { type: 'image/jpeg' });
    const thumbUrl = client.mxcUrlToHttp(uri, 96, 96, 'crop', false, true, true);
    assert.ok(thumbUrl?.includes('/_matrix/client/v1/media/thumbnail/hs.test/'), String(thumbUrl));
    const res = await fetch(thumbUrl!, { headers: { authorization: `Bearer ${s.bob.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height], [96, 96]);
  });
});
