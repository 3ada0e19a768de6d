/**
 * Which thumbnail to serve for a request, as pure arithmetic. The spec's rules: never smaller than
 * asked unless the original is, never upscaled, the original itself when it already fits. Sizes
 * are computed here (not left to the image library) so they are exact and testable.
 */
import type { ThumbnailMethod } from '../storage/index.js';

/** A thumbnail box: the configured sizes and the requests both have this shape. */
export interface ThumbnailSpec {
  readonly width: number;
  readonly height: number;
  readonly method: ThumbnailMethod;
}

/** Pixel dimensions. */
export interface Dimensions {
  readonly width: number;
  readonly height: number;
}

/** Largest side of a dynamic thumbnail: a client cannot make us render arbitrarily big images. */
export const MAX_DYNAMIC_SIDE = 2048;

/**
 * The box to make for a request: the smallest configured box of the same method covering the
 * request; otherwise the request itself when dynamic thumbnails are on (bounded), else the
 * largest configured box of that method (or of any method, if none has it).
 */
export function chooseThumbnailSpec(req: ThumbnailSpec, configured: readonly ThumbnailSpec[], dynamic: boolean): ThumbnailSpec {
  const area = (s: ThumbnailSpec) => s.width * s.height;
  const sameMethod = configured.filter((s) => s.method === req.method);
  const covering = sameMethod.filter((s) => s.width >= req.width && s.height >= req.height).sort((a, b) => area(a) - area(b));
  if (covering[0]) return covering[0];
  if (dynamic || configured.length === 0) {
    return { width: clampSide(req.width), height: clampSide(req.height), method: req.method };
  }
  const pool = sameMethod.length > 0 ? sameMethod : configured;
  return [...pool].sort((a, b) => area(b) - area(a))[0] ?? req;
}

function clampSide(n: number): number {
  return Math.min(Math.max(1, Math.floor(n)), MAX_DYNAMIC_SIDE);
}

/**
 * The output size for `spec` from an image of `original` size, or `'original'` when the image
 * already fits inside the box (serving it beats re-encoding, and is what the spec asks).
 * - scale: the largest size with the original's aspect ratio inside the box;
 * - crop: the box's aspect ratio, as large as the box, shrunk if the original is smaller than
 *   the box in one dimension (so nothing is ever upscaled).
 */
export function thumbnailDimensions(original: Dimensions, spec: ThumbnailSpec): Dimensions | 'original' {
  const { width: ow, height: oh } = original;
  if (ow <= spec.width && oh <= spec.height) return 'original';
  if (spec.method === 'scale') {
    const ratio = Math.min(spec.width / ow, spec.height / oh);
    return { width: Math.max(1, Math.round(ow * ratio)), height: Math.max(1, Math.round(oh * ratio)) };
  }
  const shrink = Math.min(1, ow / spec.width, oh / spec.height);
  return { width: Math.max(1, Math.round(spec.width * shrink)), height: Math.max(1, Math.round(spec.height * shrink)) };
}
