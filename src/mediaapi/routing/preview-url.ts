/**
 * `GET /_matrix/client/v1/media/preview_url` (spec: content repository, authenticated media).
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

/** The route descriptor, bound to its dependencies. */
export function previewUrlRoute(deps: PreviewUrlRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v1/media/preview_url',
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
