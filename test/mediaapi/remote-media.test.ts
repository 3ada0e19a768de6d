/**
 * Remote media between two real Axon servers over HTTPS (`startFederatedPair`): B's users
 * download and thumbnail media uploaded on A; B fetches it from A's authenticated
 * `/_matrix/federation/v1/media/download` (multipart), stores it, and serves later requests from
 * its copy; concurrent requests cause one fetch (A's metrics count what it served); B's size
 * limit holds while the bytes stream in; server names in denied networks are never contacted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FederationClient } from '../../src/federationapi/client/federation-client.js';
import { multipartBoundary, readMultipartMedia } from '../../src/mediaapi/remote/read-multipart-media.js';
import type { TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair, type FederatedServer } from '../harness/start-federated-pair.js';
import { federationRejection, federationTestClient } from '../federationapi/federation-test-client.js';
import { describeImage, jpeg, pngWithAlpha, request, type RawRes } from './media-test-kit.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the remote media tests: ${skip}`);

const FED_DOWNLOAD = '/_matrix/federation/v1/media/download/:mediaId';
const B_LIMIT = 100_000;

/** How many GET `route` requests `server` answered with 200, from its /metrics. */
async function served(server: FederatedServer, route: string): Promise<number> {
  const text = await (await fetch(`${server.clientUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('axon_http_requests_total{')) continue;
    const labels = line.slice(line.indexOf('{'), line.indexOf('}') + 1);
    if (labels.includes('method="GET"') && labels.includes(`route="${route}"`) && labels.includes('status="200"')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of body) out.push(c);
  return Buffer.concat(out);
}

describe('remote media between two Axon servers', { skip, timeout: 180_000 }, () => {
  let pair: FederatedPair;
  let alice: TestUser; // on A
  let bob: TestUser; // on B
  let bMedia: string;
  let asB: FederationClient;

  const uploadOnA = async (bytes: Buffer, type: string, name: string): Promise<string> => {
    const res = await request(`${pair.a.clientUrl}/_matrix/media/v3/upload?filename=${encodeURIComponent(name)}`, {
      method: 'POST',
      token: alice.accessToken,
      headers: { 'content-type': type },
      body: bytes,
    });
    assert.equal(res.status, 200, res.bytes.toString());
    const uri = String(res.json?.content_uri);
    assert.ok(uri.startsWith(`mxc://${pair.a.serverName}/`), uri);
    return uri.slice(`mxc://${pair.a.serverName}/`.length);
  };
  const onB = (path: string): Promise<RawRes> => request(`${pair.b.clientUrl}/_matrix/client/v1/media/${path}`, { token: bob.accessToken });

  before(async () => {
    bMedia = mkdtempSync(join(tmpdir(), 'axon-remote-media-b-'));
    pair = await startFederatedPair({}, { b: { media: { path: bMedia, max_upload_bytes: B_LIMIT } } });
    alice = await pair.a.client.register('alice');
    bob = await pair.b.client.register('bob');
    asB = federationTestClient(pair, pair.b);
  });
  after(async () => {
    await asB?.close();
    await pair?.stop();
    rmSync(bMedia, { recursive: true, force: true });
  });

  it("downloads A's media on B once, then serves B's copy with the upload's type and name", async () => {
    const png = await pngWithAlpha(64, 48);
    const id = await uploadOnA(png, 'image/png', 'kitten.png');
    const before = await served(pair.a, FED_DOWNLOAD);
    const first = await onB(`download/${pair.a.serverName}/${id}`);
    assert.equal(first.status, 200, first.bytes.toString());
    assert.ok(first.bytes.equals(png));
    assert.equal(first.headers.get('content-type'), 'image/png');
    assert.match(first.headers.get('content-disposition') ?? '', /^inline; filename="kitten\.png"/);
    assert.equal(first.headers.get('x-content-type-options'), 'nosniff');
    const again = await onB(`download/${pair.a.serverName}/${id}/renamed.png`);
    assert.equal(again.status, 200);
    assert.ok(again.bytes.equals(png));
    assert.match(again.headers.get('content-disposition') ?? '', /filename="renamed\.png"/);
    assert.equal(await served(pair.a, FED_DOWNLOAD), before + 1, 'the second download came from B\'s copy');
  });

  it('fetches once for concurrent requests of the same media', async () => {
    const bytes = await jpeg(300, 200);
    const id = await uploadOnA(bytes, 'image/jpeg', 'photo.jpg');
    const before = await served(pair.a, FED_DOWNLOAD);
    const all = await Promise.all(Array.from({ length: 6 }, () => onB(`download/${pair.a.serverName}/${id}`)));
    for (const res of all) {
      assert.equal(res.status, 200);
      assert.ok(res.bytes.equals(bytes));
    }
    assert.equal(await served(pair.a, FED_DOWNLOAD), before + 1);
  });

  it("thumbnails A's media on B", async () => {
    const id = await uploadOnA(await jpeg(800, 600), 'image/jpeg', 'big.jpg');
    const res = await onB(`thumbnail/${pair.a.serverName}/${id}?width=96&height=96&method=crop`);
    assert.equal(res.status, 200, res.bytes.toString());
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    const img = await describeImage(res.bytes);
    assert.deepEqual([img.format, img.width, img.height], ['jpeg', 96, 96]);
  });

  it('answers M_NOT_FOUND for media A does not have', async () => {
    const res = await onB(`download/${pair.a.serverName}/doesNotExist123`);
    assert.equal(res.status, 404);
    assert.equal(res.json?.errcode, 'M_NOT_FOUND');
  });

  it("refuses media over B's limit, declared or found while it streams, keeping nothing", async () => {
    // Far over: refused on A's declared length. Just over: the multipart framing's allowance lets
    // it start, and the limit stops it part-way through the bytes.
    for (const size of [B_LIMIT * 3, B_LIMIT + 1000]) {
      const id = await uploadOnA(Buffer.alloc(size, 7), 'application/octet-stream', 'big.bin');
      for (let i = 0; i < 2; i++) {
        const res = await onB(`download/${pair.a.serverName}/${id}`);
        assert.equal(res.status, 502, `${size}: ${res.bytes.toString()}`);
        assert.equal(res.json?.errcode, 'M_TOO_LARGE');
      }
    }
    assert.deepEqual(readdirSync(join(bMedia, 'tmp')), [], 'no partial file is left behind');
  });

  it('never contacts server names in denied networks', async () => {
    for (const origin of ['[::1]:8448', '169.254.169.254', '10.1.2.3:8448']) {
      const res = await onB(`download/${origin}/abcdef`);
      assert.equal(res.status, 502, `${origin}: ${res.bytes.toString()}`);
      assert.match(String(res.json?.error), /denied network/);
    }
  });

  it('serves the federation endpoints as multipart to signed requests only', async () => {
    const png = await pngWithAlpha(200, 100);
    const id = await uploadOnA(png, 'image/png', 'wide.png');
    const refused = await federationRejection(asB.request({ destination: pair.a.serverName, method: 'GET', path: `/_matrix/federation/v1/media/download/${id}`, signed: false }));
    assert.equal(refused.status, 401);

    const read = (path: string, query: Record<string, string | number> = {}) =>
      asB.requestStream({ destination: pair.a.serverName, method: 'GET', path, query }, async (res) => {
        assert.equal(res.status, 200);
        const boundary = multipartBoundary(String(res.headers['content-type']));
        assert.ok(boundary, String(res.headers['content-type']));
        const media = await readMultipartMedia(res.body, boundary);
        return { metadata: media.metadata, headers: media.headers, bytes: await collect(media.body) };
      });
    const whole = await read(`/_matrix/federation/v1/media/download/${id}`);
    assert.deepEqual(whole.metadata, {});
    assert.equal(whole.headers['content-type'], 'image/png');
    assert.match(whole.headers['content-disposition'] ?? '', /wide\.png/);
    assert.ok(whole.bytes.equals(png));

    const thumb = await read(`/_matrix/federation/v1/media/thumbnail/${id}`, { width: 96, height: 96, method: 'crop' });
    const img = await describeImage(thumb.bytes);
    assert.deepEqual([img.format, img.width, img.height, img.hasAlpha], ['png', 96, 96, true]);

    const missing = await asB.requestStream({ destination: pair.a.serverName, method: 'GET', path: '/_matrix/federation/v1/media/download/nope' }, async (res) => {
      const body = JSON.parse((await collect(res.body)).toString()) as { errcode: string };
      return { status: res.status, errcode: body.errcode };
    });
    assert.deepEqual(missing, { status: 404, errcode: 'M_NOT_FOUND' });
  });
});
