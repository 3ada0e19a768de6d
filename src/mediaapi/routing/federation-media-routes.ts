/**
 * The federation media endpoints (spec v1.11): other servers download our users' media and its
 * thumbnails, authenticated with X-Matrix, answered as `multipart/mixed` (empty JSON metadata,
 * then the bytes). Only our own media is served: a server never proxies a third server's media.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute, type RouteContext, type RouteResult } from '../../internal/httputil/route.js';
import { sendMultipartMedia } from '../download/send-multipart-media.js';
import { loadMedia, type AvailableMedia } from '../internal/load-media.js';
import type { MediaContext } from '../internal/media-context.js';
import { thumbnailFor } from '../internal/thumbnail-for.js';
import { checkMediaRef, thumbnailRequestOf, ThumbnailQuery } from './media-ref.js';

const Params = Type.Object({ mediaId: Type.String() });
const DownloadQuery = Type.Object({ timeout_ms: Type.Optional(Type.Integer({ minimum: 0 })) });

/** One of our own media (never a third server's), waiting for an async upload up to `timeoutMs`. */
function ourMedia(ctx: MediaContext, mediaId: string, timeoutMs: number | undefined): Promise<AvailableMedia> {
  checkMediaRef(ctx.serverName, mediaId);
  return loadMedia(ctx, ctx.serverName, mediaId, timeoutMs);
}

export function federationMediaRoutes(ctx: MediaContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/media/download/:mediaId',
      auth: 'federation',
      rateLimit: 'media',
      schema: { params: Params, query: DownloadQuery },
      handler: async (c: RouteContext<{ params: typeof Params; query: typeof DownloadQuery }>): Promise<RouteResult> => {
        const media = await ourMedia(ctx, c.params.mediaId, c.query.timeout_ms);
        return sendMultipartMedia(c.reply, {
          path: ctx.files.pathOf(media.contentHash),
          contentType: media.contentType ?? 'application/octet-stream',
          fileName: media.uploadName,
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/media/thumbnail/:mediaId',
      auth: 'federation',
      rateLimit: 'media',
      schema: { params: Params, query: ThumbnailQuery },
      handler: async (c: RouteContext<{ params: typeof Params; query: typeof ThumbnailQuery }>): Promise<RouteResult> => {
        const media = await ourMedia(ctx, c.params.mediaId, c.query.timeout_ms);
        const thumb = await thumbnailFor(ctx, media, thumbnailRequestOf(c.query));
        return sendMultipartMedia(c.reply, { path: ctx.files.pathOf(thumb.contentHash), contentType: thumb.contentType, fileName: null });
      },
    }),
  ];
}
