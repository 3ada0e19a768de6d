/**
 * Remote thumbnails between two real Axon servers over HTTPS (`startFederatedPair`): B's users
 * ask B for thumbnails of media uploaded on A; B asks A's federation thumbnail endpoint, never
 * downloading the original (even one over B's `max_upload_bytes`), caches the answer and serves
 * the next request itself. Media A cannot thumbnail ends as before: B downloads the whole file
 * and answers as its own thumbnail route does. A's metrics count what it served.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair, type FederatedServer } from '../harness/start-federated-pair.js';
import { describeImage, request, type RawRes } from './media-test-kit.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the remote thumbnail tests: ${skip}`);

const FED_DOWNLOAD = '/_matrix/federation/v1/media/download/:mediaId';
const FED_THUMBNAIL = '/_matrix/federation/v1/media/thumbnail/:mediaId';
const B_LIMIT = 100_000;

/** How many GET `route` requests `server` answered with `status`, from its /metrics. */
async function answered(server: FederatedServer, route: string, status: number): Promise<number> {
  const text = await (await fetch(`${server.clientUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('axon_http_requests_total{')) continue;
    const labels = line.slice(line.indexOf('{'), line.indexOf('}') + 1);
    if (labels.includes('method="GET"') && labels.includes(`route="${route}"`) && labels.includes(`status="${status}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** A `w`×`h` PNG of random noise: it does not compress, so it is about 3·w·h bytes. */
function noisePng(w: number, h: number): Promise<Buffer> {
  return sharp(randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

describe('remote thumbnails asked of the origin', { skip, timeout: 180_000 }, () => {
  let pair: FederatedPair;
  let alice: TestUser; // on A
  let bob: TestUser; // on B
  let bMedia: string;

  const uploadOnA = async (bytes: Buffer, type: string, name: string): Promise<string> => {
    const res = await request(`${pair.a.clientUrl}/_matrix/media/v3/upload?filename=${encodeURIComponent(name)}`, {
      method: 'POST',
      token: alice.accessToken,
      headers: { 'content-type': type },
      body: bytes,
    });
    assert.equal(res.status, 200, res.bytes.toString());
    return String(res.json?.content_uri).slice(`mxc://${pair.a.serverName}/`.length);
  };
  const onB = (path: string): Promise<RawRes> => request(`${pair.b.clientUrl}/_matrix/client/v1/media/${path}`, { token: bob.accessToken });
  /** Whether B's file store holds a file with these bytes. */
  const bHolds = (bytes: Buffer): boolean => {
    const hash = createHash('sha256').update(bytes).digest('hex');
    return existsSync(join(bMedia, hash.slice(0, 2), hash.slice(2, 4), hash));
  };

  before(async () => {
    bMedia = mkdtempSync(join(tmpdir(), 'axon-remote-thumbs-b-'));
    pair = await startFederatedPair({}, { b: { media: { path: bMedia, max_upload_bytes: B_LIMIT } } });
    alice = await pair.a.client.register('alice');
    bob = await pair.b.client.register('bob');
  });
  after(async () => {
    await pair?.stop();
    rmSync(bMedia, { recursive: true, force: true });
  });

  it("thumbnails A's image over B's upload limit without downloading it, then serves B's cached copy", async () => {
    const original = await noisePng(300, 240);
    assert.ok(original.length > B_LIMIT, `the original (${original.length} bytes) must be over B's limit`);
    const id = await uploadOnA(original, 'image/png', 'noise.png');
    const [thumbsBefore, downloadsBefore] = [await answered(pair.a, FED_THUMBNAIL, 200), await answered(pair.a, FED_DOWNLOAD, 200)];

    const first = await onB(`thumbnail/${pair.a.serverName}/${id}?width=96&height=96&method=crop`);
    assert.equal(first.status, 200, first.bytes.toString());
    // A's thumbnails of opaque images are JPEG, whatever the original's format.
    assert.equal(first.headers.get('content-type'), 'image/jpeg');
    const img = await describeImage(first.bytes);
    assert.equal(img.format, 'jpeg');
    assert.ok(img.width <= 96 && img.height <= 96 && img.width > 0 && img.height > 0, `${img.width}x${img.height}`);
    assert.equal(await answered(pair.a, FED_THUMBNAIL, 200), thumbsBefore + 1);
    assert.equal(await answered(pair.a, FED_DOWNLOAD, 200), downloadsBefore, 'B never asked for the original');
    assert.equal(bHolds(original), false, "the original is not in B's store");
    assert.equal(bHolds(first.bytes), true, "the thumbnail is in B's store");

    const second = await onB(`thumbnail/${pair.a.serverName}/${id}?width=96&height=96&method=crop`);
    assert.equal(second.status, 200);
    assert.ok(second.bytes.equals(first.bytes));
    assert.equal(await answered(pair.a, FED_THUMBNAIL, 200), thumbsBefore + 1, "the second request was served from B's cache");

    const download = await onB(`download/${pair.a.serverName}/${id}`);
    assert.equal(download.status, 502, 'the original itself is still over B\'s limit');
    assert.equal(download.json?.errcode, 'M_TOO_LARGE');
  });

  it('asks A for the configured box covering the request, and gets a scaled image inside it', async () => {
    const id = await uploadOnA(await noisePng(400, 200), 'image/png', 'wide.png');
    const res = await onB(`thumbnail/${pair.a.serverName}/${id}?width=64&height=64&method=scale`);
    assert.equal(res.status, 200, res.bytes.toString());
    const img = await describeImage(res.bytes);
    // B's smallest configured scale box covering 64×64 is 320×240: 400×200 scaled into it.
    assert.deepEqual([img.format, img.width, img.height], ['jpeg', 320, 160]);
  });

  it('falls back to the whole file when A cannot thumbnail the media, answering as before', async () => {
    const text = Buffer.from('just some text, not an image');
    const id = await uploadOnA(text, 'text/plain', 'notes.txt');
    const [refusedBefore, downloadsBefore] = [await answered(pair.a, FED_THUMBNAIL, 404), await answered(pair.a, FED_DOWNLOAD, 200)];
    const res = await onB(`thumbnail/${pair.a.serverName}/${id}?width=96&height=96`);
    assert.equal(res.status, 404, res.bytes.toString());
    assert.equal(res.json?.errcode, 'M_NOT_FOUND');
    assert.equal(await answered(pair.a, FED_THUMBNAIL, 404), refusedBefore + 1, 'A was asked for a thumbnail and refused');
    assert.equal(await answered(pair.a, FED_DOWNLOAD, 200), downloadsBefore + 1, 'then B downloaded the whole file, as before');
    assert.equal(bHolds(text), true);

    // With the whole file here, B renders locally: A is not asked again.
    const again = await onB(`thumbnail/${pair.a.serverName}/${id}?width=96&height=96`);
    assert.equal(again.status, 404);
    assert.equal(await answered(pair.a, FED_THUMBNAIL, 404), refusedBefore + 1);
    assert.equal(await answered(pair.a, FED_DOWNLOAD, 200), downloadsBefore + 1);
  });

  it('answers M_NOT_FOUND for media A does not have', async () => {
    const res = await onB(`thumbnail/${pair.a.serverName}/doesNotExist123?width=32&height=32`);
    assert.equal(res.status, 404);
    assert.equal(res.json?.errcode, 'M_NOT_FOUND');
  });
});
