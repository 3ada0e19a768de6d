/** Every public route of the mediaapi. */
import type { AnyRoute } from '../../internal/httputil/route.js';
import type { MediaContext } from '../internal/media-context.js';
import { adminRoutes } from './admin-routes.js';
import { configRoutes } from './config-routes.js';
import { downloadRoutes } from './download-routes.js';
import { federationMediaRoutes } from './federation-media-routes.js';
import { uploadRoutes } from './upload-routes.js';

/** `federation`: whether this server federates (without it, no server may fetch our media). */
export function mediaRoutes(ctx: MediaContext, federation: boolean): AnyRoute[] {
  return [...uploadRoutes(ctx), ...downloadRoutes(ctx), ...configRoutes(ctx), ...adminRoutes(ctx), ...(federation ? federationMediaRoutes(ctx) : [])];
}
