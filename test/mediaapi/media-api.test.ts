/** The mediaapi's internal API (admin hooks) on both transports: in-process and inthttp. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { pino } from 'pino';
import { openDatabase } from '../../src/internal/sqlutil/open-database.js';
import { MediaAPIMethods, type MediaAPI } from '../../src/mediaapi/api.js';
import { openMediaFileStore } from '../../src/mediaapi/files/media-file-store.js';
import { createMediaInternalAPI } from '../../src/mediaapi/internal/index.js';
import type { MediaContext } from '../../src/mediaapi/internal/media-context.js';
import { createUploadWaiters } from '../../src/mediaapi/internal/upload-waiters.js';
import { openMediaStorage } from '../../src/mediaapi/storage/index.js';
import { describeApiContract } from '../harness/describe-api-contract.js';

let fileHash = '';

describeApiContract<MediaAPI>(
  'mediaapi',
  MediaAPIMethods,
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-media-api-'));
    const database = await openDatabase(`sqlite:${join(dir, 'media.db')}`);
    const storage = await openMediaStorage(database);
    const files = await openMediaFileStore(join(dir, 'media'));
    const ctx: MediaContext = {
      serverName: 'hs.test',
      storage,
      files,
      settings: {
        maxUploadBytes: 1000,
        thumbnailSizes: [],
        dynamicThumbnails: true,
        maxThumbnailSourcePixels: 1_000_000,
        legacyUnauthenticated: false,
        maxPendingUploads: 5,
        unusedExpiryMs: 60_000,
      },
      logger: pino({ level: 'silent' }),
      remote: null,
      remoteFetches: new Map(),
      remoteThumbnails: new Map(),
      waiters: createUploadWaiters(),
      rendering: new Map(),
      background: new Set(),
      now: () => 1_700_000_000_000,
    };
    const stored = await files.putBuffer(Buffer.from('api bytes'));
    fileHash = stored.hash;
    const base = { contentType: 'text/plain', uploadName: 'a.txt', size: stored.size, userId: '@a:hs.test', createdTs: 5, unusedExpiresTs: null, quarantined: false };
    await storage.insertMedia({ origin: 'hs.test', mediaId: 'one', contentHash: stored.hash, ...base });
    await storage.insertMedia({ origin: 'remote.test', mediaId: 'two', contentHash: stored.hash, ...base, userId: null });
    return {
      impl: createMediaInternalAPI(ctx),
      cleanup: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  (api) => {
    it('queries a media', async () => {
      assert.deepEqual(await api().queryMedia({ origin: 'hs.test', mediaId: 'one' }), {
        media: {
          origin: 'hs.test',
          mediaId: 'one',
          contentUri: 'mxc://hs.test/one',
          contentType: 'text/plain',
          uploadName: 'a.txt',
          size: 9,
          userId: '@a:hs.test',
          createdTs: 5,
          quarantined: false,
          uploaded: true,
        },
      });
      assert.deepEqual(await api().queryMedia({ origin: 'hs.test', mediaId: 'two' }), { media: null });
    });

    it('quarantines local and remote media', async () => {
      assert.deepEqual(await api().performMediaQuarantine({ origin: 'remote.test', mediaId: 'two', quarantined: true }), { found: true });
      assert.equal((await api().queryMedia({ origin: 'remote.test', mediaId: 'two' })).media?.quarantined, true);
      assert.deepEqual(await api().performMediaQuarantine({ origin: 'hs.test', mediaId: 'two', quarantined: true }), { found: false });
    });

    it('deletes media', async () => {
      assert.match(fileHash, /^[0-9a-f]{64}$/);
      assert.deepEqual(await api().performMediaDelete({ origin: 'hs.test', mediaId: 'one' }), { deleted: true });
      assert.deepEqual(await api().performMediaDelete({ origin: 'hs.test', mediaId: 'one' }), { deleted: false });
      assert.deepEqual(await api().queryMedia({ origin: 'hs.test', mediaId: 'one' }), { media: null });
    });
  },
);
