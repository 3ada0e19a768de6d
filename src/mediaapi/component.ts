/**
 * The mediaapi as a component: opens its tables and its file store, serves the media routes and
 * the admin hooks of its internal API, and drops async-upload reservations that were never used.
 */
import type { LoadedConfig } from '../internal/config/load-config.js';
import type { ComponentDefinition } from '../setup/component.js';
import { openMediaFileStore } from './files/media-file-store.js';
import { createMediaInternalAPI } from './internal/index.js';
import type { MediaContext, MediaSettings } from './internal/media-context.js';
import { createUploadWaiters } from './internal/upload-waiters.js';
import { mediaapiInternalApi } from './inthttp.js';
import { createConfiguredUrlPreviewer } from './preview/create-configured-previewer.js';
import { mediaRoutes } from './routing/index.js';
import { previewUrlRoute } from './routing/preview-url.js';
import { openMediaStorage } from './storage/index.js';

/** How often expired `/create` reservations are swept. */
const SWEEP_MS = 10 * 60 * 1000;

export const mediaapiComponent: ComponentDefinition = {
  name: 'mediaapi',
  internalApi: mediaapiInternalApi,
  async start(ctx) {
    const storage = await openMediaStorage(await ctx.database());
    const files = await openMediaFileStore(ctx.config.media.path);
    const media: MediaContext = {
      serverName: ctx.config.server_name,
      storage,
      files,
      settings: mediaSettings(ctx.config),
      logger: ctx.logger.child({ component: 'mediaapi' }),
      waiters: createUploadWaiters(),
      rendering: new Map(),
      background: new Set(),
      now: () => Date.now(),
    };
    const sweep = setInterval(() => {
      storage.deleteExpiredPending(Date.now()).catch((err: unknown) => media.logger.warn({ err }, 'sweeping expired media IDs failed'));
      storage.pruneUrlPreviews(Date.now()).catch((err: unknown) => media.logger.warn({ err }, 'pruning expired URL previews failed'));
    }, SWEEP_MS);
    sweep.unref();
    return {
      api: createMediaInternalAPI(media),
      publicRoutes: [...mediaRoutes(media), previewUrlRoute({ previewer: createConfiguredUrlPreviewer(ctx.config, media) })],
      drain: () => media.waiters.wakeAll(),
      stop: async () => {
        clearInterval(sweep);
        media.waiters.wakeAll();
        await Promise.allSettled([...media.background, ...media.rendering.values()]);
      },
    };
  },
};

/** The config's `media` section in the shape the operations use. */
export function mediaSettings(config: LoadedConfig): MediaSettings {
  const m = config.media;
  return {
    maxUploadBytes: m.max_upload_bytes,
    thumbnailSizes: m.thumbnail_sizes,
    dynamicThumbnails: m.dynamic_thumbnails,
    maxThumbnailSourcePixels: m.max_thumbnail_source_pixels,
    legacyUnauthenticated: m.legacy_unauthenticated,
    maxPendingUploads: m.max_pending_uploads,
    unusedExpiryMs: m.unused_expiry_ms,
  };
}
