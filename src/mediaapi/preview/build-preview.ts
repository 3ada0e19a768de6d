/**
 * The OpenGraph object for a fetched resource, as `preview_url` returns it: for an HTML page its
 * `og:*` metas, with `<title>`, `<meta name="description">` and the first `<img>` filling in a
 * missing `og:title`, `og:description` and `og:image`; for an image the image itself; for
 * anything else nothing. Relative image URLs are made absolute against the page's final URL;
 * values are trimmed and bounded so one hostile page cannot bloat the cache.
 */
import type { JsonObject } from '../../matrix/json.js';
import { decodeHtml } from './decode-html.js';
import type { FetchedResource } from './guarded-fetch.js';
import { imageDimensions } from './image-dimensions.js';
import { parseHtmlHead, type HtmlHead } from './parse-html-head.js';

/** Longest value kept, in UTF-16 units; Synapse summarises descriptions to about the same. */
const MAX_VALUE_LENGTH = 500;
/** At most this many `og:*` keys are kept from one page. */
const MAX_KEYS = 50;

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/** Whether a resource of this media type is previewed from its body. */
export function isPreviewable(mediaType: string): boolean {
  return HTML_TYPES.has(mediaType) || mediaType.startsWith('image/');
}

function bounded(value: string): string {
  const v = value.replace(/\s+/g, ' ').trim();
  return v.length > MAX_VALUE_LENGTH ? `${v.slice(0, MAX_VALUE_LENGTH - 1)}…` : v;
}

/** `ref` made absolute against `base`, if it is then an http(s) URL. */
function absoluteHttpUrl(ref: string, base: string): string | undefined {
  try {
    const url = new URL(ref.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function openGraphOf(head: HtmlHead): Record<string, string> {
  const og: Record<string, string> = {};
  let count = 0;
  for (const meta of head.metas) {
    // Many sites write OpenGraph with `name=` instead of `property=`; both are accepted.
    const key = (meta.property ?? meta.name ?? '').trim().toLowerCase();
    const content = meta.content;
    if (!key.startsWith('og:') || content === undefined || key in og || count >= MAX_KEYS) continue;
    const value = bounded(content);
    if (value === '') continue;
    og[key] = value;
    count++;
  }
  return og;
}

function htmlPreview(resource: FetchedResource): JsonObject {
  const contentType = resource.headers['content-type'];
  const head = parseHtmlHead(decodeHtml(resource.body, Array.isArray(contentType) ? contentType[0] : contentType));
  const og = openGraphOf(head);
  if (og['og:title'] === undefined && head.title !== undefined) og['og:title'] = bounded(head.title);
  if (og['og:description'] === undefined) {
    const description = head.metas.find((m) => (m.name ?? '').trim().toLowerCase() === 'description')?.content;
    if (description !== undefined && bounded(description) !== '') og['og:description'] = bounded(description);
  }
  const image = og['og:image'] ?? og['og:image:url'] ?? og['og:image:secure_url'] ?? head.firstImageSrc;
  const imageUrl = image === undefined ? undefined : absoluteHttpUrl(image, resource.url);
  if (imageUrl === undefined) delete og['og:image'];
  else og['og:image'] = imageUrl;
  return og;
}

function imagePreview(resource: FetchedResource): JsonObject {
  const size = imageDimensions(resource.body);
  return {
    'og:image': resource.url,
    'og:image:type': resource.mediaType,
    'matrix:image:size': resource.body.length,
    ...(size ? { 'og:image:width': size.width, 'og:image:height': size.height } : {}),
  };
}

/** The preview of `resource` (see the module comment). */
export function buildPreview(resource: FetchedResource): JsonObject {
  if (HTML_TYPES.has(resource.mediaType)) return htmlPreview(resource);
  if (resource.mediaType.startsWith('image/')) return imagePreview(resource);
  return {};
}
