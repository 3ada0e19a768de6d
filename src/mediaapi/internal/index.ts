/** Assembles the mediaapi's internal API from its one-operation files. */
import type { MediaAPI } from '../api.js';
import type { MediaContext } from './media-context.js';
import { performMediaDelete } from './perform-media-delete.js';
import { performMediaQuarantine } from './perform-media-quarantine.js';
import { queryMedia } from './query-media.js';

export function createMediaInternalAPI(ctx: MediaContext): MediaAPI {
  return {
    queryMedia: (req) => queryMedia(ctx, req),
    performMediaQuarantine: (req) => performMediaQuarantine(ctx, req),
    performMediaDelete: (req) => performMediaDelete(ctx, req),
  };
}
