import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { html, startOrigin, startPreviewApp, type PreviewApp, type TestOrigin } from './preview-test-kit.js';

/** A 3×2 PNG's signature and IHDR chunk (all a header reader needs), padded to 40 bytes. */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000030000000208060000', 'hex'), Buffer.alloc(12)]);

describe('preview_url stores preview images in the media repository', () => {
  let origin: TestOrigin;
  let p: PreviewApp;

  before(async () => {
    origin = await startOrigin({
      '/page': html('<meta property="og:title" content="With image"><meta property="og:image" content="/img/logo.png"><meta property="og:image:width" content="999">'),
      '/img/logo.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
      '/broken': html('<title>Broken image</title><img src="/img/missing.png">'),
      '/not-image': html('<meta property="og:image" content="/page">'),
      '/internal-image': html('<title>Sneaky</title><meta property="og:image" content="http://169.254.169.254/latest/meta-data/">'),
      '/photo.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
    });
    p = await startPreviewApp({ allowNetworks: ['127.0.0.0/8'], storeImages: true });
  });
  after(async () => {
    await p.close();
    await origin.close();
  });

  it("fetches og:image through the guard, stores it for the requester and answers its mxc URI and real size", async () => {
    const res = await p.preview(`${origin.base}/page`);
    assert.deepEqual(res.body, {
      'og:title': 'With image',
      'og:image': 'mxc://test/img1',
      'og:image:type': 'image/png',
      'matrix:image:size': PNG.length,
      'og:image:width': 3,
      'og:image:height': 2,
    });
    assert.deepEqual(p.storedImages, [{ url: `${origin.base}/img/logo.png`, mediaType: 'image/png', bytes: PNG.length, userId: '@alice:test' }]);
  });

  it('stores a previewed image URL itself', async () => {
    const res = await p.preview(`${origin.base}/photo.png`);
    assert.equal(res.body['og:image'], 'mxc://test/img2');
    assert.equal(res.body['matrix:image:size'], PNG.length);
  });

  it('drops og:image when the image is missing, not an image, or in a denied network', async () => {
    assert.deepEqual((await p.preview(`${origin.base}/broken`)).body, { 'og:title': 'Broken image' });
    assert.deepEqual((await p.preview(`${origin.base}/not-image`)).body, {});
    assert.deepEqual((await p.preview(`${origin.base}/internal-image`)).body, { 'og:title': 'Sneaky' });
    assert.equal(p.storedImages.length, 2);
  });
});
