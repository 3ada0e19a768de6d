/**
 * What the mediaapi's operations share: storage, the file store, the settings they obey, the
 * in-process wake-ups of downloads waiting for an async upload, and the thumbnails being made
 * right now (so two requests for the same one render it once).
 */
import type { Logger } from 'pino';
import type { MediaFileStore } from '../files/media-file-store.js';
import type { MediaStorage, StoredThumbnail } from '../storage/index.js';
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
  /** Background work (thumbnails made at upload) that stopping waits for. */
  readonly background: Set<Promise<void>>;
  /** The clock (tests move it). */
  now(): number;
}
