/**
 * sharp (libvips), loaded on the first thumbnail rather than at start-up: its native library
 * adds tens of MB of resident memory, which a server nobody uploads images to should not pay.
 * libvips keeps recently read files open by default; a deleted media's disk space would stay
 * taken until evicted, so sources are never held open between renders.
 */
import type sharpModule from 'sharp';

let loading: Promise<typeof sharpModule> | undefined;

/** The sharp function, configured once. */
export function loadSharp(): Promise<typeof sharpModule> {
  loading ??= import('sharp').then((m) => {
    m.default.cache({ files: 0 });
    return m.default;
  });
  return loading;
}
