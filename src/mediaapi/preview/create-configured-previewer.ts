/**
 * The URL previewer as the running mediaapi uses it: outbound requests under the config's
 * `federation.allow_networks`/`deny_networks` (the one outbound network policy, DESIGN §9), the
 * system resolver, the cache in the mediaapi's storage, and preview images uploaded into the
 * media repository on behalf of the requester (so `og:image` is an `mxc://` URI).
 */
import { Readable } from 'node:stream';
import type { LoadedConfig } from '../../internal/config/load-config.js';
import { createNetworkGuard } from '../../internal/net/network-guard.js';
import type { MediaContext } from '../internal/media-context.js';
import { uploadMedia } from '../internal/upload-media.js';
import { createGuardedFetcher } from './guarded-fetch.js';
import { createUrlPreviewer, type UrlPreviewer } from './url-previewer.js';

/** Builds the previewer for a started mediaapi. */
export function createConfiguredUrlPreviewer(config: LoadedConfig, media: MediaContext): UrlPreviewer {
  const guard = createNetworkGuard({ allowNetworks: config.federation.allow_networks, denyNetworks: config.federation.deny_networks });
  return createUrlPreviewer({
    fetch: createGuardedFetcher({ guard }),
    storage: media.storage,
    storeImage: (image, userId) =>
      uploadMedia(media, {
        userId,
        body: Readable.from([image.body]),
        contentType: image.mediaType,
        uploadName: undefined,
        contentLength: image.body.length,
      }),
  });
}
