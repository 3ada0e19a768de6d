import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { html, redirect, startOrigin, startPreviewApp, type PreviewApp, type TestOrigin } from './preview-test-kit.js';

/** A 3×2 PNG's signature and IHDR chunk (all a header reader needs), padded to 40 bytes. */
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452000000030000000208060000', 'hex'),
  Buffer.alloc(12),
]);

const OG_PAGE = `<!doctype html><html><head>
<meta property="og:title" content="Matrix &amp; friends">
<meta property="og:description" content="An open network">
<meta property='og:type' content=website>
<meta property="og:image" content="/img/logo.png">
<title>ignored because og:title wins</title>
<script>document.write('<meta property="og:title" content="from script">')</script>
</head><body><img src="/not-this.png"></body></html>`;

describe('preview_url over a real HTTP origin (127.0.0.0/8 allowed)', () => {
  let origin: TestOrigin;
  let p: PreviewApp;
  let counter = 0;

  before(async () => {
    origin = await startOrigin({
      '/og': html(OG_PAGE),
      '/title-only': html('<html><head><TITLE>\n  Just   a &lt;title&gt;  </TITLE><meta name="Description" content="Described"></head><body><p>x</p><img alt="a" src="pics/first.jpg"><img src="/second.jpg"></body></html>'),
      '/latin1': html(Buffer.from('<html><head><title>Caf\u00e9 cr\u00e8me</title></head></html>', 'latin1'), 'text/html; charset=iso-8859-1'),
      '/meta-charset': html(Buffer.from('<html><head><meta charset="windows-1252"><title>na\u00efve \u0080</title></head></html>', 'latin1'), 'text/html'),
      '/image.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG),
      '/video': (_req, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.alloc(1000)),
      '/r3': redirect('/r2', 301),
      '/r2': redirect('r1', 307),
      '/r1': redirect('/deep/page', 308),
      '/deep/page': html('<head><meta property="og:image" content="../img/x.png"><meta property="og:title" content="Landed"></head>'),
      '/loop': redirect('/loop'),
      '/missing-image': html('<head><meta property="og:title" content="No image"></head>'),
      '/huge': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(16 * 1024, 0x61);
        let sent = 0;
        const push = (): void => {
          while (sent < 64 && res.write(chunk)) sent++;
          if (sent < 64) res.once('drain', push);
          else res.end();
        };
        push();
      },
      '/huge-declared': (_req, res) => res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(1024 * 1024) }).end(Buffer.alloc(1024 * 1024)),
      '/slow': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><head><title>never finished');
      },
      '/500': (_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<title>error page</title>'),
      '/counter': (_req, res) => {
        counter++;
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600' }).end(`<title>version ${counter}</title>`), 50);
      },
    });
    p = await startPreviewApp({ allowNetworks: ['127.0.0.0/8'], maxBytes: 256 * 1024, timeoutMs: 10_000 });
  });
  after(async () => {
    await p.close();
    await origin.close();
  });

  it('reads OpenGraph metas, decodes entities, ignores script text and resolves a relative og:image', async () => {
    const res = await p.preview(`${origin.base}/og#fragment`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      'og:title': 'Matrix & friends',
      'og:description': 'An open network',
      'og:type': 'website',
      'og:image': `${origin.base}/img/logo.png`,
    });
    assert.equal(origin.hits.at(-1), '/og', 'the fragment is never sent');
  });

  it('falls back to <title>, <meta name=description> and the first <img>', async () => {
    const res = await p.preview(`${origin.base}/title-only`);
    assert.deepEqual(res.body, {
      'og:title': 'Just a <title>',
      'og:description': 'Described',
      'og:image': `${origin.base}/pics/first.jpg`,
    });
  });

  it('decodes by the header charset, else by <meta charset>', async () => {
    assert.deepEqual((await p.preview(`${origin.base}/latin1`)).body, { 'og:title': 'Café crème' });
    assert.deepEqual((await p.preview(`${origin.base}/meta-charset`)).body, { 'og:title': 'naïve €' });
  });

  it('previews an image as itself, with its size and dimensions', async () => {
    const res = await p.preview(`${origin.base}/image.png`);
    assert.deepEqual(res.body, {
      'og:image': `${origin.base}/image.png`,
      'og:image:type': 'image/png',
      'matrix:image:size': PNG.length,
      'og:image:width': 3,
      'og:image:height': 2,
    });
  });

  it('answers an empty object for other content types', async () => {
    assert.deepEqual((await p.preview(`${origin.base}/video`)).body, {});
  });

  it('follows a chain of redirects, resolving og:image against the final URL', async () => {
    const res = await p.preview(`${origin.base}/r3`);
    assert.deepEqual(res.body, { 'og:image': `${origin.base}/img/x.png`, 'og:title': 'Landed' });
  });

  it('gives up after 10 redirects', async () => {
    const before = origin.hits.filter((h) => h === '/loop').length;
    const res = await p.preview(`${origin.base}/loop`);
    assert.equal(res.status, 502);
    assert.deepEqual(res.body, { errcode: 'M_UNKNOWN', error: 'Too many redirects' });
    assert.equal(origin.hits.filter((h) => h === '/loop').length - before, 11);
  });

  it('caps the body while it streams and refuses a declared oversize body', async () => {
    for (const path of ['/huge', '/huge-declared']) {
      const res = await p.preview(`${origin.base}${path}`);
      assert.equal(res.status, 502, path);
      assert.equal(res.body.errcode, 'M_TOO_LARGE', path);
    }
  });

  it('times out a body that never ends', async () => {
    const quick = await startPreviewApp({ allowNetworks: ['127.0.0.0/8'], timeoutMs: 400 });
    try {
      const started = Date.now();
      const res = await quick.preview(`${origin.base}/slow`);
      assert.equal(res.status, 504);
      assert.deepEqual(res.body, { errcode: 'M_UNKNOWN', error: 'Timed out fetching the URL' });
      assert.ok(Date.now() - started < 5000);
    } finally {
      await quick.close();
    }
  });

  it('reports a remote error status as 502 without its details', async () => {
    const res = await p.preview(`${origin.base}/500`);
    assert.equal(res.status, 502);
    assert.deepEqual(res.body, { errcode: 'M_UNKNOWN', error: 'Failed to download content' });
  });

  it('refuses non-http schemes with 400', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.org/', 'gopher://127.0.0.1:6379/_', 'not a url']) {
      const res = await p.preview(url);
      assert.equal(res.status, 400, url);
      assert.equal(res.body.errcode, 'M_UNKNOWN', url);
    }
  });

  it('requires an access token', async () => {
    const res = await p.preview(`${origin.base}/og`, { token: null });
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_MISSING_TOKEN');
  });

  it('fetches one URL once for concurrent requests and serves the cache until it expires', async () => {
    const url = `${origin.base}/counter`;
    const hits = (): number => origin.hits.filter((h) => h === '/counter').length;
    const first = await Promise.all([1, 2, 3, 4, 5].map(() => p.preview(url)));
    for (const r of first) assert.deepEqual(r.body, { 'og:title': 'version 1' });
    assert.equal(hits(), 1);
    const t1 = p.clock;

    p.clock += 599_000;
    assert.deepEqual((await p.preview(url)).body, { 'og:title': 'version 1' });
    assert.equal(hits(), 1, 'still fresh (max-age=600)');

    p.clock += 2000;
    assert.deepEqual((await p.preview(url)).body, { 'og:title': 'version 2' });
    assert.equal(hits(), 2);

    // `ts` picks the preview closest to that moment, while it was fresh.
    assert.deepEqual((await p.preview(url, { ts: t1 + 10 })).body, { 'og:title': 'version 1' });
    assert.deepEqual((await p.preview(url, { ts: t1 - 5000 })).body, { 'og:title': 'version 1' });
    assert.deepEqual((await p.preview(url, { ts: p.clock })).body, { 'og:title': 'version 2' });
    assert.equal(hits(), 2);
  });

  it('does not cache failures', async () => {
    const before = origin.hits.filter((h) => h === '/500').length;
    await p.preview(`${origin.base}/500`);
    await p.preview(`${origin.base}/500`);
    assert.equal(origin.hits.filter((h) => h === '/500').length - before, 2);
  });
});
