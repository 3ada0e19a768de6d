/** `GET …/media/config`: the upload limit, authenticated (v1) and legacy (v3, which also needs a token). */
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { MediaContext } from '../internal/media-context.js';

export function configRoutes(ctx: MediaContext): AnyRoute[] {
  const handler = async () => ({ 'm.upload.size': ctx.settings.maxUploadBytes });
  return ['/_matrix/client/v1/media/config', '/_matrix/media/v3/config'].map((path) =>
    defineRoute({ method: 'GET', path, auth: 'user-or-guest', rateLimit: 'media', schema: {}, handler }),
  );
}
