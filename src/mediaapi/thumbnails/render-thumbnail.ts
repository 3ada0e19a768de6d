/**
 * Renders one thumbnail with sharp (libvips, off the event loop). Output type: an animated
 * thumbnail in the source's own format when asked for and the source is an animated GIF or WebP;
 * otherwise PNG when the image has alpha, JPEG when it has none.
 */
import type sharpModule from 'sharp';
import { loadSharp } from './load-sharp.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { thumbnailDimensions, type Dimensions, type ThumbnailSpec } from './thumbnail-plan.js';

/** Source types we thumbnail; anything else (SVG included: a script vector) is not an image to us. */
export const THUMBNAILABLE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** What rendering produced: new bytes, or "serve the original, it already fits". */
export type RenderedThumbnail =
  | { readonly kind: 'original' }
  | { readonly kind: 'image'; readonly bytes: Buffer; readonly contentType: string; readonly size: Dimensions };

export interface RenderOptions {
  /** The client asked for an animated thumbnail (`animated=true`). */
  readonly animated: boolean;
  /** Sources with more pixels (one frame) are refused with M_TOO_LARGE. */
  readonly maxSourcePixels: number;
}

/** Renders `spec` from the image file at `sourcePath` (whose declared type is `sourceType`). */
export async function renderThumbnail(sourcePath: string, sourceType: string, spec: ThumbnailSpec, opts: RenderOptions): Promise<RenderedThumbnail> {
  const limitInputPixels = opts.maxSourcePixels;
  const sharp = await loadSharp();
  let meta: sharpModule.Metadata;
  try {
    meta = await sharp(sourcePath, { limitInputPixels: false }).metadata();
  } catch {
    throw MatrixError.unknown('The media is not an image that can be thumbnailed', 400);
  }
  const frame = orientedSize(meta);
  if (frame.width * frame.height > limitInputPixels) throw MatrixError.tooLarge('The image is too large to thumbnail');
  const target = thumbnailDimensions(frame, spec);
  if (target === 'original') return { kind: 'original' };

  const animatedSource = (meta.pages ?? 1) > 1 && (meta.format === 'gif' || meta.format === 'webp');
  const animate = opts.animated && animatedSource && (sourceType === 'image/gif' || sourceType === 'image/webp');
  const fit = spec.method === 'crop' ? 'cover' : 'fill';
  // `fill` is safe for scale: the target already has the source's aspect ratio (to rounding).
  let pipeline = sharp(sourcePath, { animated: animate, limitInputPixels: false })
    .rotate()
    .resize(target.width, target.height, { fit, withoutEnlargement: false, kernel: 'lanczos3' });
  let contentType: string;
  if (animate) {
    const format = meta.format === 'gif' ? 'gif' : 'webp';
    pipeline = format === 'gif' ? pipeline.gif() : pipeline.webp({ quality: 80 });
    contentType = `image/${format}`;
  } else if (meta.hasAlpha) {
    pipeline = pipeline.png({ compressionLevel: 6 });
    contentType = 'image/png';
  } else {
    pipeline = pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: false });
    contentType = 'image/jpeg';
  }
  const bytes = await pipeline.toBuffer();
  return { kind: 'image', bytes, contentType, size: target };
}

/** One frame's size as displayed (EXIF orientations 5–8 swap width and height). */
function orientedSize(meta: sharpModule.Metadata): Dimensions {
  const w = meta.width ?? 0;
  const h = meta.pageHeight ?? meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: h, height: w } : { width: w, height: h };
}
