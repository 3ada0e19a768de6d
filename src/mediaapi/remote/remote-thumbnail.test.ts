import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { Database } from '../../internal/sqlutil/database.js';
import { openDatabase } from '../../internal/sqlutil/open-database.js';
import { openMediaFileStore, type MediaFileStore } from '../files/media-file-store.js';
import type { MediaContext } from '../internal/media-context.js';
import { createUploadWaiters } from '../internal/upload-waiters.js';
import { openMediaStorage, type MediaStorage } from '../storage/index.js';
import { fetchRemoteMedia } from './remote-media.js';
import type { FetchedRemoteMedia, RemoteFetchRequest, RemoteMediaSource, RemoteThumbnailRequest } from './remote-media-source.js';
import { fetchRemoteThumbnail } from './remote-thumbnail.js';

const ORIGIN = 'origin.test';
const THUMB = Buffer.from('thumbnail bytes');
const WHOLE = Buffer.from('the whole original file');

/** A source that records calls, answers thumbnails unless `noThumbnail`, and resolves when `gate` opens. */
function fakeSource(files: MediaFileStore, opts: { noThumbnail?: boolean; gate?: Promise<void> } = {}) {
  const thumbnails: RemoteThumbnailRequest[] = [];
  const downloads: RemoteFetchRequest[] = [];
  const source: RemoteMediaSource = {
    async fetch(req): Promise<FetchedRemoteMedia> {
      downloads.push(req);
      return { file: await files.putBuffer(WHOLE), contentType: 'image/jpeg', uploadName: 'photo.jpg' };
    },
    async fetchThumbnail(req) {
      thumbnails.push(req);
      await opts.gate;
      if (opts.noThumbnail === true) return null;
      return { file: await files.putBuffer(THUMB), contentType: 'image/png', uploadName: null };
    },
  };
  return { source, thumbnails, downloads };
}

describe('remote thumbnails asked of the origin', () => {
  let dir: string;
  let database: Database;
  let storage: MediaStorage;
  let files: MediaFileStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'axon-remote-thumb-'));
    database = await openDatabase(`sqlite:${join(dir, 'media.db')}`);
    storage = await openMediaStorage(database);
    files = await openMediaFileStore(join(dir, 'media'));
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const contextWith = (remote: RemoteMediaSource | null): MediaContext => ({
    serverName: 'hs.test',
    storage,
    files,
    settings: {
      maxUploadBytes: 5000,
      thumbnailSizes: [
        { width: 32, height: 32, method: 'crop' },
        { width: 96, height: 96, method: 'crop' },
      ],
      dynamicThumbnails: false,
      maxThumbnailSourcePixels: 1_000_000,
      legacyUnauthenticated: false,
      maxPendingUploads: 5,
      unusedExpiryMs: 60_000,
    },
    logger: pino({ level: 'silent' }),
    remote,
    remoteFetches: new Map(),
    remoteThumbnails: new Map(),
    waiters: createUploadWaiters(),
    rendering: new Map(),
    background: new Set(),
    now: () => 1_700_000_000_000,
  });
  const crop = (width: number, height: number, animated = false) => ({ width, height, method: 'crop' as const, animated });

  it("fetches the configured box once for concurrent requests, caches it with the origin's type under an empty media row", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const fake = fakeSource(files, { gate });
    const ctx = contextWith(fake.source);
    const q = { serverName: ORIGIN, mediaId: 'm1', timeoutMs: 999_999, request: crop(80, 70) };
    const all = Promise.all([fetchRemoteThumbnail(ctx, q), fetchRemoteThumbnail(ctx, { ...q, request: crop(90, 90) })]);
    await new Promise((r) => setImmediate(r));
    open();
    const [a, b] = await all;
    assert.deepEqual(
      fake.thumbnails.map((t) => [t.origin, t.mediaId, t.width, t.height, t.method, t.animated, t.waitMs, t.maxBytes]),
      [[ORIGIN, 'm1', 96, 96, 'crop', false, 60_000, 5000]],
    );
    const expected = { origin: ORIGIN, mediaId: 'm1', width: 96, height: 96, method: 'crop', animated: false, contentType: 'image/png', contentHash: a?.contentHash, size: THUMB.length };
    assert.deepEqual(a, expected);
    assert.deepEqual(b, expected);
    assert.deepEqual(await storage.getThumbnail({ origin: ORIGIN, mediaId: 'm1', width: 96, height: 96, method: 'crop', animated: false }), expected);
    const row = await storage.getMedia(ORIGIN, 'm1');
    assert.deepEqual(row, {
      origin: ORIGIN,
      mediaId: 'm1',
      contentHash: null,
      contentType: null,
      uploadName: null,
      size: null,
      userId: null,
      createdTs: 1_700_000_000_000,
      unusedExpiresTs: null,
      quarantined: false,
    });
    assert.equal(await storage.deleteExpiredPending(Number.MAX_SAFE_INTEGER), 0, 'the empty row is not a pending upload to sweep');

    const again = await fetchRemoteThumbnail(ctx, { ...q, request: crop(96, 96) });
    assert.deepEqual(again, expected);
    assert.equal(fake.thumbnails.length, 1, 'the second request was served from the cache');
    assert.equal(fake.downloads.length, 0, 'the whole file was never fetched');
  });

  it('answers null, storing nothing, when the origin cannot thumbnail the media', async () => {
    const fake = fakeSource(files, { noThumbnail: true });
    const got = await fetchRemoteThumbnail(contextWith(fake.source), { serverName: ORIGIN, mediaId: 'text1', timeoutMs: undefined, request: crop(32, 32, true) });
    assert.equal(got, null);
    assert.deepEqual(fake.thumbnails.map((t) => [t.width, t.height, t.animated, t.waitMs]), [[32, 32, true, 20_000]]);
    assert.equal(await storage.getMedia(ORIGIN, 'text1'), undefined);
    assert.deepEqual(await storage.getThumbnails(ORIGIN, 'text1'), []);
  });

  it('fills the empty row when the whole file is fetched later, and then leaves thumbnails to local rendering', async () => {
    const fake = fakeSource(files);
    const ctx = contextWith(fake.source);
    const q = { serverName: ORIGIN, mediaId: 'm2', timeoutMs: 0, request: crop(30, 30) };
    assert.equal((await fetchRemoteThumbnail(ctx, q))?.width, 32);
    const media = await fetchRemoteMedia(ctx, { serverName: ORIGIN, mediaId: 'm2', timeoutMs: 0 });
    assert.equal(fake.downloads.length, 1);
    assert.equal(media.contentType, 'image/jpeg');
    assert.equal(media.uploadName, 'photo.jpg');
    assert.equal(media.size, WHOLE.length);
    assert.equal(media.contentHash, (await files.putBuffer(WHOLE)).hash);
    assert.deepEqual(await storage.getMedia(ORIGIN, 'm2'), media);
    assert.equal(await fetchRemoteThumbnail(ctx, q), null, 'the whole file is here: render locally');
    assert.equal(fake.thumbnails.length, 1);
    assert.equal((await storage.getThumbnails(ORIGIN, 'm2')).length, 1, "the origin's thumbnail stays cached");
  });

  it('refuses quarantined media even with cached thumbnails, and deleting it removes them', async () => {
    const fake = fakeSource(files);
    const ctx = contextWith(fake.source);
    const q = { serverName: ORIGIN, mediaId: 'm3', timeoutMs: 0, request: crop(96, 96) };
    const thumb = await fetchRemoteThumbnail(ctx, q);
    assert.equal(await storage.setQuarantined(ORIGIN, 'm3', true), true);
    await assert.rejects(fetchRemoteThumbnail(ctx, q), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_NOT_FOUND');
    assert.equal(fake.thumbnails.length, 1);
    assert.ok(thumb);
    const unused = await storage.deleteMedia(ORIGIN, 'm3');
    assert.ok(unused, 'the empty row makes the media deletable');
    assert.deepEqual(await storage.getThumbnails(ORIGIN, 'm3'), []);
  });

  it('is not found when federation is off, and passes origin errors through', async () => {
    await assert.rejects(
      fetchRemoteThumbnail(contextWith(null), { serverName: ORIGIN, mediaId: 'm4', timeoutMs: 0, request: crop(96, 96) }),
      (e: unknown) => e instanceof MatrixError && e.errcode === 'M_NOT_FOUND',
    );
    const failing: RemoteMediaSource = {
      fetch: () => Promise.reject(new Error('unused')),
      fetchThumbnail: () => Promise.reject(MatrixError.mediaTooLargeToServe('too big')),
    };
    const ctx = contextWith(failing);
    await assert.rejects(fetchRemoteThumbnail(ctx, { serverName: ORIGIN, mediaId: 'm4', timeoutMs: 0, request: crop(96, 96) }), (e: unknown) => e instanceof MatrixError && e.status === 502 && e.errcode === 'M_TOO_LARGE');
    assert.equal(ctx.remoteThumbnails.size, 0, 'a failed fetch is not shared with later requests');
    assert.equal(await storage.getMedia(ORIGIN, 'm4'), undefined);
  });
});
