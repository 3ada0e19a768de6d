/**
 * Synapse's media admin API, the parts over one media, so admin tools written for Synapse work:
 * `POST /_synapse/admin/v1/media/quarantine|unquarantine/{serverName}/{mediaId}` and
 * `DELETE /_synapse/admin/v1/media/{serverName}/{mediaId}`. They call the same operations as the
 * internal API.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { MediaContext } from '../internal/media-context.js';
import { performMediaDelete } from '../internal/perform-media-delete.js';
import { performMediaQuarantine } from '../internal/perform-media-quarantine.js';
import { checkMediaRef, MediaParams } from './media-ref.js';

const BASE = '/_synapse/admin/v1/media';

export function adminRoutes(ctx: MediaContext): AnyRoute[] {
  const quarantine = (quarantined: boolean) =>
    defineRoute({
      method: 'POST',
      path: `${BASE}/${quarantined ? 'quarantine' : 'unquarantine'}/:serverName/:mediaId`,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: MediaParams },
      handler: async ({ params }) => {
        checkMediaRef(params.serverName, params.mediaId);
        const { found } = await performMediaQuarantine(ctx, { origin: params.serverName, mediaId: params.mediaId, quarantined });
        if (!found) throw MatrixError.notFound('Media not found');
        return {};
      },
    });
  return [
    quarantine(true),
    quarantine(false),
    defineRoute({
      method: 'DELETE',
      path: `${BASE}/:serverName/:mediaId`,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: MediaParams },
      handler: async ({ params }) => {
        checkMediaRef(params.serverName, params.mediaId);
        const { deleted } = await performMediaDelete(ctx, { origin: params.serverName, mediaId: params.mediaId });
        if (!deleted) throw MatrixError.notFound('Media not found');
        return { deleted_media: [params.mediaId], total: 1 };
      },
    }),
  ];
}
