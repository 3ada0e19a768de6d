/**
 * The mediaapi as a component: opens its tables and its file store, serves the media routes and
 * the admin hooks of its internal API, and drops async-upload reservations that were never used.
 */
import type { LoadedConfig } from '../internal/config/load-config.js';
import type { ComponentDefinition } from '../setup/component.js';
import { federationClientFromConfig } from '../federationapi/client/client-from-config.js';
import { createNetworkGuard } from '../internal/net/network-guard.js';
import { openMediaFileStore } from './files/media-file-store.js';
import { createMediaInternalAPI } from './internal/index.js';
import type { MediaContext, MediaSettings } from './internal/media-context.js';
import { createUploadWaiters } from './internal/upload-waiters.js';
import { mediaapiInternalApi } from './inthttp.js';
import { createConfiguredUrlPreviewer } from './preview/create-configured-previewer.js';
import { createGuardedStreamer } from './preview/guarded-fetch.js';
import { createFederationMediaSource } from './remote/federation-media-source.js';
import { mediaRoutes } from './routing/index.js';
import { previewUrlRoutes } from './routing/preview-url.js';
import { openMediaStorage } from './storage/index.js';

/** How often expired `/create` reservations are swept. */
const SWEEP_MS = 10 * 60 * 1000;

export const mediaapiComponent: ComponentDefinition = {
  name: 'mediaapi',
  internalApi: mediaapiInternalApi,
  async start(ctx) {
    const storage = await openMediaStorage(await ctx.database());
    const files = await openMediaFileStore(ctx.config.media.path);
    // Downloads stream bytes, which the internal JSON API cannot carry: the mediaapi fetches
    // remote media with its own federation client (same config, same network policy).
    const client = federationClientFromConfig(ctx.config, ctx.signingKey);
    const guard = createNetworkGuard({ allowNetworks: ctx.config.federation.allow_networks, denyNetworks: ctx.config.federation.deny_networks });
    const media: MediaContext = {
      serverName: ctx.config.server_name,
      storage,
      files,
      settings: mediaSettings(ctx.config),
      logger: ctx.logger.child({ component: 'mediaapi' }),
      waiters: createUploadWaiters(),
      remote: client
        ? createFederationMediaSource({
            client,
            streamer: createGuardedStreamer({ guard, maxBytes: ctx.config.media.max_upload_bytes, timeoutMs: 120_000, userAgent: 'Axon (remote media)' }),
            files,
          })
        : null,
      remoteFetches: new Map(),
      remoteThumbnails: new Map(),
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
      publicRoutes: [...mediaRoutes(media, ctx.config.federation.enabled), ...previewUrlRoutes({ previewer: createConfiguredUrlPreviewer(ctx.config, media) })],
      drain: () => media.waiters.wakeAll(),
      stop: async () => {
        clearInterval(sweep);
        media.waiters.wakeAll();
        await Promise.allSettled([...media.background, ...media.rendering.values(), ...media.remoteFetches.values(), ...media.remoteThumbnails.values()]);
        await client?.close();
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
