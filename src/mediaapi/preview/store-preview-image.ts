/**
 * Puts a preview's image into our own media repository, so clients load it as an `mxc://` URI
 * (as the spec's response describes) and never contact the remote site themselves. The image is
 * fetched through the same guarded fetcher as the page; when it cannot be fetched or stored the
 * preview simply goes without `og:image`, as a broken image must not fail the whole preview.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { FetchedResource, GuardedFetcher } from './guarded-fetch.js';
import { imageDimensions } from './image-dimensions.js';

/** Stores an image's bytes for `userId` (the requester); its `mxc://` URI. */
export type PreviewImageStore = (image: FetchedResource, userId: string) => Promise<string>;

const isImage = (mediaType: string): boolean => mediaType.startsWith('image/');

function imageFields(image: FetchedResource, mxc: string): JsonObject {
  const size = imageDimensions(image.body);
  return {
    'og:image': mxc,
    'og:image:type': image.mediaType,
    'matrix:image:size': image.body.length,
    ...(size ? { 'og:image:width': size.width, 'og:image:height': size.height } : {}),
  };
}

/**
 * `preview` with its image stored: `source` itself when it is an image, else the page's
 * `og:image` fetched and stored; without `og:image` if either step fails.
 */
export async function storePreviewImage(
  preview: JsonObject,
  source: FetchedResource,
  deps: { readonly fetch: GuardedFetcher; readonly store: PreviewImageStore; readonly userId: string },
): Promise<JsonObject> {
  const remote = preview['og:image'];
  if (typeof remote !== 'string') return preview;
  const { 'og:image': _dropped, ...rest } = preview;
  try {
    const image = isImage(source.mediaType) ? source : await deps.fetch(remote, isImage);
    if (!isImage(image.mediaType) || image.body.length === 0) return rest;
    return { ...rest, ...imageFields(image, await deps.store(image, deps.userId)) };
  } catch {
    return rest;
  }
}
