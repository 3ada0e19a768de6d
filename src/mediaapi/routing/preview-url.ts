/**
 * `GET /_matrix/client/v1/media/preview_url` (spec: content repository, authenticated media), and
 * the deprecated `/_matrix/media/v3/preview_url`, which needed a token too and so is not part of
 * the unauthenticated-media freeze (clients older than v1.11 still call it).
 * Requires a user's access token: an unauthenticated fetcher of arbitrary URLs would be an open
 * proxy. The outbound side (network guard, redirects, limits) lives in `../preview/`.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { UrlPreviewer } from '../preview/url-previewer.js';

/** What the route needs. */
export interface PreviewUrlRouteDeps {
  readonly previewer: UrlPreviewer;
}

/** The route descriptors (both paths), bound to its dependencies. */
export function previewUrlRoutes(deps: PreviewUrlRouteDeps): AnyRoute[] {
  return ['/_matrix/client/v1/media/preview_url', '/_matrix/media/v3/preview_url'].map((path) => previewUrlRoute(deps, path));
}

function previewUrlRoute(deps: PreviewUrlRouteDeps, path: string): AnyRoute {
  return defineRoute({
    method: 'GET',
    path,
    auth: 'user',
    rateLimit: 'media',
    schema: {
      query: Type.Object({
        url: Type.String({ minLength: 1, maxLength: 8192 }),
        ts: Type.Optional(Type.Integer({ minimum: 0 })),
      }),
    },
    handler: async ({ query, requester }) => {
      if (!requester) throw new Error('preview_url is a user route: the requester is always set');
      return deps.previewer.preview(query.url, query.ts, requester.userId);
    },
  });
}
