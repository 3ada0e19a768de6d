import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { multipartMediaBody } from '../download/multipart-media-body.js';
import { TruncatedStreamError } from './byte-reader.js';
import { multipartBoundary, readMultipartMedia } from './read-multipart-media.js';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of body) out.push(c);
  return Buffer.concat(out);
}

async function render(content: Buffer, headers: Record<string, string>): Promise<{ bytes: Buffer; boundary: string }> {
  const body = multipartMediaBody(Readable.from([content]), content.length, headers);
  const bytes = await collect(body.stream);
  assert.equal(bytes.length, body.length, 'the declared length is the real length');
  const boundary = multipartBoundary(body.contentType);
  assert.ok(boundary);
  return { bytes, boundary };
}

describe('multipart media bodies', () => {
  it('round-trips the media part whatever the chunking, even when it contains boundary-like bytes', async () => {
    const { bytes: probe, boundary } = await render(Buffer.alloc(0), {});
    assert.ok(probe.includes(`--${boundary}--`));
    // Content with CRLF, dashes and a near-miss of the delimiter at awkward places.
    const content = Buffer.concat([randomBytes(5000), Buffer.from(`\r\n--${boundary.slice(0, -1)}x\r\n--\r\n`), randomBytes(70_000)]);
    const doc = multipartMediaBody(Readable.from([content]), content.length, { 'Content-Type': 'image/png', 'Content-Disposition': 'inline; filename="a.png"' });
    const bytes = await collect(doc.stream);
    const b = multipartBoundary(doc.contentType);
    assert.ok(b);
    for (const size of [1, 2, 3, 7, 64, 1000, 65_536, bytes.length]) {
      const media = await readMultipartMedia(chunked(bytes, size), b);
      assert.deepEqual(media.metadata, {});
      assert.equal(media.headers['content-type'], 'image/png');
      assert.equal(media.headers['content-disposition'], 'inline; filename="a.png"');
      assert.ok((await collect(media.body)).equals(content), `chunk size ${size}`);
    }
  });

  it('reads a document another server wrote: preamble, quoted boundary, Location part', async () => {
    const text = 'ignored preamble\r\n--abc\r\nContent-Type: application/json\r\n\r\n{"k":1}\r\n--abc\r\nLocation: https://cdn.example/x\r\n\r\n\r\n--abc--\r\n';
    const boundary = multipartBoundary('Multipart/Mixed; charset=x; boundary="abc"');
    assert.equal(boundary, 'abc');
    const media = await readMultipartMedia(chunked(Buffer.from(text), 5), 'abc');
    assert.deepEqual(media.metadata, { k: 1 });
    assert.equal(media.headers.location, 'https://cdn.example/x');
    assert.equal((await collect(media.body)).length, 0);
  });

  it('refuses a cut-off body, a single part and a non-JSON first part', async () => {
    const { bytes, boundary } = await render(randomBytes(10_000), { 'Content-Type': 'image/png' });
    const cut = await readMultipartMedia(chunked(bytes.subarray(0, bytes.length - 30), 100), boundary);
    await assert.rejects(collect(cut.body), TruncatedStreamError);
    await assert.rejects(readMultipartMedia(chunked(Buffer.from('--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b--\r\n'), 4), 'b'), /fewer than two parts/);
    await assert.rejects(readMultipartMedia(chunked(Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n\r\nx\r\n--b--'), 4), 'b'), /not application\/json/);
  });

  it('finds the boundary only in multipart/mixed types', () => {
    assert.equal(multipartBoundary('application/json'), undefined);
    assert.equal(multipartBoundary('multipart/mixed'), undefined);
    assert.equal(multipartBoundary(undefined), undefined);
    assert.equal(multipartBoundary('multipart/mixed; boundary=' + 'x'.repeat(71)), undefined);
  });
});
