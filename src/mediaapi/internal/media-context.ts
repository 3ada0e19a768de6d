/**
 * What the mediaapi's operations share: storage, the file store, the settings they obey, the
 * in-process wake-ups of downloads waiting for an async upload, and the thumbnails being made and
 * remote media being fetched right now (so two requests for the same one do the work once).
 */
import type { Logger } from 'pino';
import type { MediaFileStore } from '../files/media-file-store.js';
import type { RemoteMediaSource } from '../remote/remote-media-source.js';
import type { MediaStorage, StoredMedia, StoredThumbnail } from '../storage/index.js';
import type { ThumbnailSpec } from '../thumbnails/thumbnail-plan.js';
import type { UploadWaiters } from './upload-waiters.js';

/** The `media` section of the config, as the mediaapi uses it. */
export interface MediaSettings {
  readonly maxUploadBytes: number;
  readonly thumbnailSizes: readonly ThumbnailSpec[];
  readonly dynamicThumbnails: boolean;
  readonly maxThumbnailSourcePixels: number;
  readonly legacyUnauthenticated: boolean;
  readonly maxPendingUploads: number;
  readonly unusedExpiryMs: number;
}

export interface MediaContext {
  readonly serverName: string;
  readonly storage: MediaStorage;
  readonly files: MediaFileStore;
  readonly settings: MediaSettings;
  readonly logger: Logger;
  readonly waiters: UploadWaiters;
  /** Renders in progress, by thumbnail key. */
  readonly rendering: Map<string, Promise<StoredThumbnail>>;
  /** Where other servers' media comes from; null when federation is off (remote media is not found). */
  readonly remote: RemoteMediaSource | null;
  /** Remote downloads in progress, by `origin/mediaId`: concurrent requests share one fetch. */
  readonly remoteFetches: Map<string, Promise<StoredMedia>>;
  /**
   * Thumbnails being fetched from remote origins, by thumbnail key (null: the origin has none,
   * so the thumbnail is made here from the whole file).
   */
  readonly remoteThumbnails: Map<string, Promise<StoredThumbnail | null>>;
  /** Background work (thumbnails made at upload) that stopping waits for. */
  readonly background: Set<Promise<void>>;
  /** The clock (tests move it). */
  now(): number;
}
