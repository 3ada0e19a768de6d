/**
 * Downloads and thumbnails: the authenticated `/_matrix/client/v1/media/*` (spec v1.11) always,
 * the legacy unauthenticated `/_matrix/media/v3/*` only when `media.legacy_unauthenticated` is on
 * (otherwise they answer M_NOT_FOUND, which tells clients to use the authenticated ones).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type AuthKind, type RouteContext, type RouteResult } from '../../internal/httputil/route.js';
import { sendMedia } from '../download/send-media.js';
import { loadMedia } from '../internal/load-media.js';
import type { MediaContext } from '../internal/media-context.js';
import { thumbnailFor } from '../internal/thumbnail-for.js';
import { fetchRemoteThumbnail } from '../remote/remote-thumbnail.js';
import { checkMediaRef, MediaFileParams, MediaParams, thumbnailRequestOf, ThumbnailQuery } from './media-ref.js';

const DownloadQuery = Type.Object({
  timeout_ms: Type.Optional(Type.Integer({ minimum: 0 })),
  allow_remote: Type.Optional(Type.Boolean()),
  allow_redirect: Type.Optional(Type.Boolean()),
});

type DownloadCtx = RouteContext<{ params: typeof MediaParams; query: typeof DownloadQuery }>;
type ThumbnailCtx = RouteContext<{ params: typeof MediaParams; query: typeof ThumbnailQuery }>;

export function downloadRoutes(ctx: MediaContext): AnyRoute[] {
  const legacy = ctx.settings.legacyUnauthenticated;
  const guard = <C>(enabled: boolean, h: (c: C) => Promise<RouteResult>) => async (c: C) => {
    if (!enabled) throw MatrixError.notFound('Unauthenticated media is disabled: use /_matrix/client/v1/media');
    return h(c);
  };
  const routes: AnyRoute[] = [];
  for (const [prefix, auth, enabled] of [
    ['/_matrix/client/v1/media', 'user-or-guest', true],
    ['/_matrix/media/v3', 'none', legacy],
  ] as const satisfies ReadonlyArray<readonly [string, AuthKind, boolean]>) {
    routes.push(
      defineRoute({
        method: 'GET',
        path: `${prefix}/download/:serverName/:mediaId`,
        auth,
        rateLimit: 'media',
        schema: { params: MediaParams, query: DownloadQuery },
        handler: guard(enabled, (c: DownloadCtx) => download(ctx, c, undefined)),
      }),
      defineRoute({
        method: 'GET',
        path: `${prefix}/download/:serverName/:mediaId/:fileName`,
        auth,
        rateLimit: 'media',
        schema: { params: MediaFileParams, query: DownloadQuery },
        handler: guard(enabled, (c: DownloadCtx & { params: { fileName: string } }) => download(ctx, c, c.params.fileName)),
      }),
      defineRoute({
        method: 'GET',
        path: `${prefix}/thumbnail/:serverName/:mediaId`,
        auth,
        rateLimit: 'media',
        schema: { params: MediaParams, query: ThumbnailQuery },
        handler: guard(enabled, (c: ThumbnailCtx) => thumbnail(ctx, c)),
      }),
    );
  }
  return routes;
}

async function download(ctx: MediaContext, c: DownloadCtx, fileName: string | undefined): Promise<RouteResult> {
  const { serverName, mediaId } = c.params;
  checkMediaRef(serverName, mediaId);
  refuseRemote(ctx, serverName, c.query.allow_remote);
  const media = await loadMedia(ctx, serverName, mediaId, c.query.timeout_ms);
  return sendMedia(c.request, c.reply, {
    path: ctx.files.pathOf(media.contentHash),
    contentType: media.contentType ?? 'application/octet-stream',
    fileName: fileName ?? media.uploadName,
  });
}

async function thumbnail(ctx: MediaContext, c: ThumbnailCtx): Promise<RouteResult> {
  const { serverName, mediaId } = c.params;
  checkMediaRef(serverName, mediaId);
  refuseRemote(ctx, serverName, c.query.allow_remote);
  const req = thumbnailRequestOf(c.query);
  // Remote media: the origin's thumbnail unless the whole file is here or the origin has none.
  const fromOrigin = serverName === ctx.serverName ? null : await fetchRemoteThumbnail(ctx, { serverName, mediaId, timeoutMs: c.query.timeout_ms, request: req });
  const thumb = fromOrigin ?? (await thumbnailFor(ctx, await loadMedia(ctx, serverName, mediaId, c.query.timeout_ms), req));
  return sendMedia(c.request, c.reply, { path: ctx.files.pathOf(thumb.contentHash), contentType: thumb.contentType, fileName: null });
}

/** `allow_remote=false` (legacy routes): another server's media must not be fetched. */
function refuseRemote(ctx: MediaContext, serverName: string, allowRemote: boolean | undefined): void {
  if (allowRemote === false && serverName !== ctx.serverName) throw MatrixError.notFound('Remote media not requested (allow_remote=false)');
}
