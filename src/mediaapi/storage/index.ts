/**
 * The mediaapi's storage: media metadata and thumbnails, the same code on SQLite and PostgreSQL.
 * The bytes themselves are files named by hash (`files/media-file-store.ts`); this interface only
 * tells which hashes rows still use, so the caller knows when a file may go.
 */
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import { runMigrations } from '../../internal/sqlutil/run-migrations.js';
import * as media from './media-table.js';
import type { CompleteUploadOutcome, MediaContent, StoredMedia } from './media-table.js';
import { MEDIAAPI_MIGRATIONS } from './mediaapi-migrations.js';
import type { MediaapiTables } from './mediaapi-tables.js';
import * as thumbs from './thumbnails-table.js';
import type { StoredThumbnail, ThumbnailKey, ThumbnailMethod } from './thumbnails-table.js';
import { createUrlPreviewsStorage, type UrlPreviewsStorage } from './url-previews-storage.js';

export type { CompleteUploadOutcome, MediaContent, StoredMedia, StoredThumbnail, ThumbnailKey, ThumbnailMethod };

export interface MediaStorage extends UrlPreviewsStorage {
  /** Records a media whose bytes are already stored (or a pending one: `contentHash` null). */
  insertMedia(m: StoredMedia): Promise<void>;
  getMedia(origin: string, mediaId: string): Promise<StoredMedia | undefined>;
  /** Async uploads `userId` has created and not yet filled, still open at `now`. */
  countPendingUploads(userId: string, now: number): Promise<number>;
  /** Fills a pending media with its content, once, by its creator only. */
  completeUpload(origin: string, mediaId: string, userId: string, content: MediaContent, now: number): Promise<CompleteUploadOutcome>;
  /**
   * Fills the empty row of remote media (created when only thumbnails of it were fetched) with
   * the whole file's content; false when the row is not such an empty row.
   */
  completeRemoteMedia(origin: string, mediaId: string, content: MediaContent): Promise<boolean>;
  /** false when there is no such media. */
  setQuarantined(origin: string, mediaId: string, quarantined: boolean): Promise<boolean>;
  /**
   * Deletes the media and its thumbnails. Returns undefined when there was no such media, else
   * the file hashes no row uses any more (the caller unlinks those files).
   */
  deleteMedia(origin: string, mediaId: string): Promise<string[] | undefined>;
  /** Drops pending uploads past their deadline; how many. */
  deleteExpiredPending(now: number): Promise<number>;
  getThumbnail(key: ThumbnailKey): Promise<StoredThumbnail | undefined>;
  getThumbnails(origin: string, mediaId: string): Promise<StoredThumbnail[]>;
  addThumbnail(t: StoredThumbnail): Promise<void>;
}

/** Migrates the database and returns the storage over it. */
export async function openMediaStorage(database: Database): Promise<MediaStorage> {
  await runMigrations(database, 'mediaapi', MEDIAAPI_MIGRATIONS);
  const db = typedDb<MediaapiTables>(database);
  return {
    ...createUrlPreviewsStorage(db),
    insertMedia: (m) => media.insertMedia(db, m),
    getMedia: (origin, mediaId) => media.selectMedia(db, origin, mediaId),
    countPendingUploads: (userId, now) => media.countPendingUploads(db, userId, now),
    completeUpload: (origin, mediaId, userId, content, now) => media.completeUpload(db, origin, mediaId, userId, content, now),
    completeRemoteMedia: (origin, mediaId, content) => media.completeRemoteMedia(db, origin, mediaId, content),
    setQuarantined: (origin, mediaId, q) => media.updateQuarantined(db, origin, mediaId, q),
    deleteExpiredPending: (now) => media.deleteExpiredPending(db, now),
    getThumbnail: (key) => thumbs.selectThumbnail(db, key),
    getThumbnails: (origin, mediaId) => thumbs.selectThumbnails(db, origin, mediaId),
    addThumbnail: (t) => thumbs.insertThumbnail(db, t),
    deleteMedia: (origin, mediaId) =>
      db.transaction().execute(async (trx) => {
        const row = await media.selectMedia(trx, origin, mediaId);
        if (!row) return undefined;
        const hashes = new Set<string>((await thumbs.selectThumbnails(trx, origin, mediaId)).map((t) => t.contentHash));
        if (row.contentHash !== null) hashes.add(row.contentHash);
        await trx.deleteFrom('mediaapi_thumbnails').where('origin', '=', origin).where('media_id', '=', mediaId).execute();
        await trx.deleteFrom('mediaapi_media').where('origin', '=', origin).where('media_id', '=', mediaId).execute();
        if (hashes.size === 0) return [];
        const list = [...hashes];
        const usedByMedia = await trx.selectFrom('mediaapi_media').select('content_hash').where('content_hash', 'in', list).execute();
        const usedByThumbs = await trx.selectFrom('mediaapi_thumbnails').select('content_hash').where('content_hash', 'in', list).execute();
        const used = new Set([...usedByMedia.map((r) => r.content_hash), ...usedByThumbs.map((r) => r.content_hash)]);
        return list.filter((h) => !used.has(h));
      }),
  };
}
