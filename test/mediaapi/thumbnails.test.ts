/**
 * Thumbnails of real images over HTTP: exact sizes and types for crop and scale, the configured
 * sizes preferred, dynamic sizes otherwise, never upscaled (the original when it already fits),
 * animated GIF and WebP kept animated only when asked, refusals for non-images and huge images.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { animatedGif, animatedWebp, describeImage, jpeg, pngWithAlpha, request, startMediaTestServer, uploadOk, type MediaTestServer } from './media-test-kit.js';

describe('media thumbnails', () => {
  let s: MediaTestServer;
  const ids: Record<string, string> = {};
  const originals: Record<string, Buffer> = {};
  before(async () => {
    s = await startMediaTestServer({ max_thumbnail_source_pixels: 2000 * 2000 });
    originals.png = await pngWithAlpha(1000, 500);
    originals.jpeg = await jpeg(800, 1200);
    originals.gif = await animatedGif(200, 100, 3);
    originals.webp = await animatedWebp(600, 300, 2);
    originals.small = await jpeg(20, 10);
    ids.png = await uploadOk(s, originals.png, 'image/png');
    ids.jpeg = await uploadOk(s, originals.jpeg, 'image/jpeg');
    ids.gif = await uploadOk(s, originals.gif, 'image/gif');
    ids.webp = await uploadOk(s, originals.webp, 'image/webp');
    ids.small = await uploadOk(s, originals.small, 'image/jpeg');
  });
  after(() => s.stop());

  const thumb = (id: string, q: string) =>
    request(`${s.url}/_matrix/client/v1/media/thumbnail/hs.test/${id}?${q}`, { token: s.bob.accessToken });

  async function expectImage(id: string, q: string, want: { type: string; format: string; width: number; height: number; pages?: number }) {
    const res = await thumb(id, q);
    assert.equal(res.status, 200, `${q}: ${res.bytes.toString().slice(0, 200)}`);
    assert.equal(res.headers.get('content-type'), want.type, q);
    assert.equal(res.headers.get('content-disposition'), 'inline', q);
    const img = await describeImage(res.bytes);
    assert.deepEqual(
      { format: img.format, width: img.width, height: img.height, pages: img.pages },
      { format: want.format, width: want.width, height: want.height, pages: want.pages ?? 1 },
      q,
    );
    return res;
  }

  it('crops a PNG with alpha to the configured box and keeps it PNG', async () => {
    await expectImage(ids.png!, 'width=32&height=32&method=crop', { type: 'image/png', format: 'png', width: 32, height: 32 });
    // 40x40 is served from the 96x96 configured box: never smaller than asked.
    await expectImage(ids.png!, 'width=40&height=40&method=crop', { type: 'image/png', format: 'png', width: 96, height: 96 });
  });

  it('scales a JPEG inside the configured box and keeps it JPEG', async () => {
    await expectImage(ids.jpeg!, 'width=320&height=240&method=scale', { type: 'image/jpeg', format: 'jpeg', width: 160, height: 240 });
    await expectImage(ids.jpeg!, 'width=500&height=400&method=scale', { type: 'image/jpeg', format: 'jpeg', width: 320, height: 480 });
  });

  it('defaults to scale and makes a dynamic size when no configured box covers the request', async () => {
    await expectImage(ids.png!, 'width=900&height=900', { type: 'image/png', format: 'png', width: 900, height: 450 });
    await expectImage(ids.jpeg!, 'width=200&height=150&method=crop', { type: 'image/jpeg', format: 'jpeg', width: 200, height: 150 });
  });

  it('never upscales: the original when it fits, a shrunk box when it fits in one dimension', async () => {
    const res = await thumb(ids.small!, 'width=32&height=32&method=crop');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.ok(res.bytes.equals(originals.small!));
    await expectImage(ids.gif!, 'width=96&height=96&method=crop', { type: 'image/png', format: 'png', width: 96, height: 96 });
    await expectImage(ids.jpeg!, 'width=1000&height=1000&method=crop', { type: 'image/jpeg', format: 'jpeg', width: 800, height: 800 });
  });

  it('keeps animated GIF and WebP animated when asked, still otherwise', async () => {
    await expectImage(ids.gif!, 'width=96&height=96&method=crop&animated=true', { type: 'image/gif', format: 'gif', width: 96, height: 96, pages: 3 });
    await expectImage(ids.gif!, 'width=32&height=32&method=crop&animated=false', { type: 'image/png', format: 'png', width: 32, height: 32 });
    await expectImage(ids.webp!, 'width=100&height=100&method=scale&animated=true', {
      type: 'image/webp',
      format: 'webp',
      width: 320,
      height: 160,
      pages: 2,
    });
    await expectImage(ids.webp!, 'width=96&height=96&method=crop&animated=true', { type: 'image/webp', format: 'webp', width: 96, height: 96, pages: 2 });
    // Still: no alpha in these frames, so JPEG.
    await expectImage(ids.webp!, 'width=96&height=96&method=crop', { type: 'image/jpeg', format: 'jpeg', width: 96, height: 96 });
    // An animated request on a still image gets the still thumbnail.
    await expectImage(ids.jpeg!, 'width=32&height=32&method=crop&animated=true', { type: 'image/jpeg', format: 'jpeg', width: 32, height: 32 });
  });

  it('honours EXIF orientation: a rotated JPEG is thumbnailed as displayed', async () => {
    // Stored 400×200, displayed 200×400 (orientation 6: rotate 90°).
    const rotated = await sharp(await jpeg(400, 200)).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const id = await uploadOk(s, rotated, 'image/jpeg');
    await expectImage(id, 'width=320&height=240&method=scale', { type: 'image/jpeg', format: 'jpeg', width: 120, height: 240 });
  });

  it('serves the same cached thumbnail twice', async () => {
    const a = await thumb(ids.png!, 'width=320&height=240&method=scale');
    const b = await thumb(ids.png!, 'width=300&height=200&method=scale');
    assert.equal(a.status, 200);
    assert.ok(a.bytes.equals(b.bytes));
    assert.deepEqual((await describeImage(a.bytes)).width, 320);
  });

  it('refuses thumbnails of non-images, bad parameters and images over the pixel limit', async () => {
    const text = await uploadOk(s, Buffer.from('hello'), 'text/plain');
    const t = await thumb(text, 'width=32&height=32');
    assert.equal(t.status, 404);
    assert.equal(t.json?.errcode, 'M_NOT_FOUND');
    const bad = await thumb(ids.png!, 'width=0&height=32');
    assert.equal(bad.status, 400);
    const huge = await uploadOk(s, await jpeg(2001, 2000), 'image/jpeg');
    const h = await thumb(huge, 'width=32&height=32&method=crop');
    assert.equal(h.status, 413);
    assert.equal(h.json?.errcode, 'M_TOO_LARGE');
  });
});
