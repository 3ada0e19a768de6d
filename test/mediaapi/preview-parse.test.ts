import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPreview } from '../../src/mediaapi/preview/build-preview.js';
import { decodeHtml } from '../../src/mediaapi/preview/decode-html.js';
import { decodeHtmlEntities } from '../../src/mediaapi/preview/decode-html-entities.js';
import { imageDimensions } from '../../src/mediaapi/preview/image-dimensions.js';
import { parseHtmlHead } from '../../src/mediaapi/preview/parse-html-head.js';
import { previewTtlMs } from '../../src/mediaapi/preview/url-previewer.js';

describe('parseHtmlHead', () => {
  it('reads attributes however they are quoted, first duplicate winning, names case-insensitive', () => {
    const head = parseHtmlHead(`<META Property="og:title" CONTENT='single "quoted"' content="second"><meta property=og:type content=article/><meta name = "description" content = "spaced" >`);
    assert.deepEqual(head.metas, [
      { property: 'og:title', content: 'single "quoted"' },
      { property: 'og:type', content: 'article/' },
      { name: 'description', content: 'spaced' },
    ]);
  });

  it('skips comments, doctype and the raw text of script and style', () => {
    const head = parseHtmlHead(`<!DOCTYPE html><!-- <meta property="og:title" content="comment"> --><style>a::before{content:"<title>css</title>"}</style><script>var s = "<meta name='x' content='y'>"; if (a<b) {}</script><title>Real</title>`);
    assert.deepEqual(head.metas, []);
    assert.equal(head.title, 'Real');
  });

  it('keeps only the first title and the first image with a src', () => {
    const head = parseHtmlHead('<title> One\n\t two </title><title>Three</title><img alt=x><img src="  a.png "><img src=b.png>');
    assert.equal(head.title, 'One two');
    assert.equal(head.firstImageSrc, 'a.png');
  });

  it('survives malformed and truncated markup', () => {
    assert.deepEqual(parseHtmlHead('<meta property="og:title" content="unterminated'), { metas: [{ property: 'og:title', content: 'unterminated' }], title: undefined, firstImageSrc: undefined });
    assert.deepEqual(parseHtmlHead('a < b <3 <<>> <!-- open'), { metas: [], title: undefined, firstImageSrc: undefined });
    assert.equal(parseHtmlHead('<title>no end').title, 'no end');
    assert.equal(parseHtmlHead('<title></title>').title, undefined);
  });
});

describe('decodeHtmlEntities', () => {
  it('decodes numeric and common named references, leaving unknown ones', () => {
    assert.equal(decodeHtmlEntities('&lt;a&gt; &amp;amp; &#233;&#xE9;&#X1F600; &hellip;&nbsp;&bogus; &#0; & alone'), '<a> &amp; éé😀 …\u00a0&bogus; \ufffd & alone');
  });
});

describe('decodeHtml', () => {
  const latin1 = Buffer.from('<title>Caf\u00e9</title>', 'latin1');
  it('uses a BOM first, then the header, then <meta>, else UTF-8', () => {
    assert.equal(decodeHtml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('é')]), 'text/html; charset=iso-8859-1'), 'é');
    assert.equal(decodeHtml(latin1, 'text/html; charset="ISO-8859-1"'), '<title>Café</title>');
    const meta = Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><title>Caf\u00e9</title>', 'latin1');
    assert.match(decodeHtml(meta, 'text/html'), /Café/);
    assert.equal(decodeHtml(Buffer.from('<title>Café</title>'), undefined), '<title>Café</title>');
  });
  it('falls back to UTF-8 for an unknown label and maps windows-1252 bytes 0x80–0x9F', () => {
    assert.equal(decodeHtml(Buffer.from('é'), 'text/html; charset=x-no-such'), 'é');
    assert.equal(decodeHtml(Buffer.from([0x80, 0x93, 0x94, 0x81]), 'text/html; charset=windows-1252'), '€“”\ufffd');
  });
});

describe('imageDimensions', () => {
  it('reads PNG, GIF, JPEG and WebP headers', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000140000000f008060000', 'hex');
    assert.deepEqual(imageDimensions(png), { width: 320, height: 240 });
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x10, 0x00, 0x20, 0x00])]);
    assert.deepEqual(imageDimensions(gif), { width: 16, height: 32 });
    // SOI, an APP0 segment of 16 bytes, then SOF0 with height 480, width 640.
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(14), Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03])]);
    assert.deepEqual(imageDimensions(jpeg), { width: 640, height: 480 });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'latin1');
    webp.write('WEBPVP8X', 8, 'latin1');
    webp.writeUIntLE(99, 24, 3);
    webp.writeUIntLE(49, 27, 3);
    assert.deepEqual(imageDimensions(webp), { width: 100, height: 50 });
    assert.equal(imageDimensions(Buffer.from('not an image at all, just text')), undefined);
  });
});

describe('buildPreview', () => {
  const page = (body: string, url = 'https://example.org/a/b.html') => ({ url, headers: { 'content-type': 'text/html' }, mediaType: 'text/html', body: Buffer.from(body) });

  it('drops og:image values that are not http(s) and bounds long values', () => {
    const long = 'x'.repeat(2000);
    const out = buildPreview(page(`<meta property="og:image" content="javascript:alert(1)"><meta property="og:description" content="${long}">`));
    assert.equal(out['og:image'], undefined);
    assert.equal((out['og:description'] as string).length, 500);
  });

  it('accepts og:image:secure_url and name= spellings', () => {
    const out = buildPreview(page('<meta name="og:title" content="By name"><meta property="og:image:secure_url" content="//cdn.example.org/i.png">'));
    assert.deepEqual(out, { 'og:title': 'By name', 'og:image:secure_url': '//cdn.example.org/i.png', 'og:image': 'https://cdn.example.org/i.png' });
  });
});

describe('previewTtlMs', () => {
  it('uses max-age within [1 min, 24 h], else one hour', () => {
    assert.equal(previewTtlMs({ 'cache-control': 'public, max-age=600' }), 600_000);
    assert.equal(previewTtlMs({ 'cache-control': 'max-age=0' }), 60_000);
    assert.equal(previewTtlMs({ 'cache-control': 'max-age=999999999' }), 86_400_000);
    assert.equal(previewTtlMs({}), 3_600_000);
  });
});
