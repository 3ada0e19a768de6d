/** Every public route of the mediaapi. */
import type { AnyRoute } from '../../internal/httputil/route.js';
import type { MediaContext } from '../internal/media-context.js';
import { adminRoutes } from './admin-routes.js';
import { configRoutes } from './config-routes.js';
import { downloadRoutes } from './download-routes.js';
import { federationMediaRoutes } from './federation-media-routes.js';
import { uploadRoutes } from './upload-routes.js';

export function mediaRoutes(ctx: MediaContext): AnyRoute[] {
  return [...uploadRoutes(ctx), ...downloadRoutes(ctx), ...configRoutes(ctx), ...adminRoutes(ctx), ...federationMediaRoutes(ctx)];
}
