/**
 * `preview_url`'s logic: answer from the cache when a fresh enough preview exists, else fetch
 * through the guarded fetcher, build the OpenGraph object and cache it. Concurrent requests for
 * one URL share a single fetch, so a link posted in a big room costs one outbound request.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { UrlPreviewsStorage } from '../storage/url-previews-storage.js';
import { buildPreview, isPreviewable } from './build-preview.js';
import { parseHttpUrl, type FetchedResource, type GuardedFetcher } from './guarded-fetch.js';
import { previewErrorToMatrix } from './preview-error-to-matrix.js';
import { PreviewFetchError } from './preview-fetch-error.js';
import { storePreviewImage, type PreviewImageStore } from './store-preview-image.js';

/** Previews URLs. */
export interface UrlPreviewer {
  /**
   * The preview of `url` as of `ts` (ms; now when absent): a cached one still fresh at `ts`, else
   * a new one, whose image is stored on behalf of `userId`.
   * @throws MatrixError when the URL is refused or cannot be fetched.
   */
  preview(url: string, ts: number | undefined, userId: string): Promise<JsonObject>;
}

/** Dependencies of {@link createUrlPreviewer}. */
export interface UrlPreviewerDeps {
  readonly fetch: GuardedFetcher;
  readonly storage: UrlPreviewsStorage;
  /**
   * Stores preview images in the media repository (`og:image` becomes `mxc://`); without it
   * `og:image` stays the remote URL.
   */
  readonly storeImage?: PreviewImageStore;
  /** The current time in ms (tests move it). */
  readonly now?: () => number;
}

const MINUTE = 60_000;
/** Synapse's default freshness; pages rarely change their preview faster. */
export const DEFAULT_PREVIEW_TTL_MS = 60 * MINUTE;
const MIN_TTL_MS = MINUTE;
const MAX_TTL_MS = 24 * 60 * MINUTE;

/** How long a preview stays fresh: the response's `max-age` within [1 min, 24 h], else 1 h. */
export function previewTtlMs(headers: FetchedResource['headers']): number {
  const raw = headers['cache-control'];
  const cacheControl = (Array.isArray(raw) ? raw.join(', ') : (raw ?? '')).toLowerCase();
  const maxAge = /(?:^|[\s,])max-age\s*=\s*"?(\d+)/.exec(cacheControl);
  if (!maxAge) return DEFAULT_PREVIEW_TTL_MS;
  return Math.min(MAX_TTL_MS, Math.max(MIN_TTL_MS, Number(maxAge[1]) * 1000));
}

/** Builds the previewer. */
export function createUrlPreviewer(deps: UrlPreviewerDeps): UrlPreviewer {
  const now = deps.now ?? Date.now;
  const inFlight = new Map<string, Promise<JsonObject>>();

  async function fetchAndStore(url: string, userId: string): Promise<JsonObject> {
    const resource = await deps.fetch(url, isPreviewable);
    const built = buildPreview(resource);
    const store = deps.storeImage;
    const preview = store ? await storePreviewImage(built, resource, { fetch: deps.fetch, store, userId }) : built;
    const fetchedTs = now();
    await deps.storage.storeUrlPreview(url, { fetchedTs, expiresTs: fetchedTs + previewTtlMs(resource.headers), preview });
    return preview;
  }

  return {
    async preview(rawUrl, ts, userId) {
      try {
        const url = parseHttpUrl(rawUrl).href;
        const at = ts ?? now();
        const cached = await deps.storage.getClosestUrlPreview(url, at);
        if (cached && cached.expiresTs > at) return cached.preview;
        let pending = inFlight.get(url);
        if (!pending) {
          pending = fetchAndStore(url, userId).finally(() => inFlight.delete(url));
          inFlight.set(url, pending);
        }
        return await pending;
      } catch (e) {
        throw e instanceof PreviewFetchError ? previewErrorToMatrix(e) : e;
      }
    },
  };
}
