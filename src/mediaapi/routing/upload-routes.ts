/**
 * Uploads: `POST /_matrix/media/v3/upload` (one step), and the async pair
 * `POST /_matrix/media/v1/create` + `PUT /_matrix/media/v3/upload/{serverName}/{mediaId}`.
 * The bodies are raw byte streams (`rawBody`), never buffered.
 */
import { Readable } from 'node:stream';
import Type from 'typebox';
import { defineRoute, jsonResponse, type AnyRoute, type RouteContext, type RouteSchemas } from '../../internal/httputil/route.js';
import { createMedia } from '../internal/create-media.js';
import type { MediaContext } from '../internal/media-context.js';
import { completeAsyncUpload, uploadMedia, type UploadBody } from '../internal/upload-media.js';
import { checkMediaRef, MediaParams } from './media-ref.js';

const UploadQuery = Type.Object({ filename: Type.Optional(Type.String()) });

export function uploadRoutes(ctx: MediaContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/media/v3/upload',
      auth: 'user-or-guest',
      rateLimit: 'media',
      rawBody: true,
      schema: { query: UploadQuery },
      handler: async (c) => ({ content_uri: await uploadMedia(ctx, uploadBody(c)) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/media/v1/create',
      auth: 'user-or-guest',
      rateLimit: 'media',
      schema: {},
      handler: async ({ requester }) => {
        const created = await createMedia(ctx, requester!.userId);
        return { content_uri: created.contentUri, unused_expires_at: created.unusedExpiresAt };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/media/v3/upload/:serverName/:mediaId',
      auth: 'user-or-guest',
      rateLimit: 'media',
      rawBody: true,
      schema: { params: MediaParams, query: UploadQuery },
      handler: async (c) => {
        checkMediaRef(c.params.serverName, c.params.mediaId);
        await completeAsyncUpload(ctx, c.params.serverName, c.params.mediaId, uploadBody(c));
        return jsonResponse(200, {});
      },
    }),
  ];
}

function uploadBody<S extends RouteSchemas>(c: RouteContext<S>): UploadBody {
  const headers = c.request.headers;
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const query = c.query as { filename?: string };
  return {
    userId: c.requester!.userId,
    body: isStream(c.body) ? c.body : Readable.from([]),
    contentType: headers['content-type'],
    uploadName: query.filename === undefined || query.filename === '' ? undefined : query.filename,
    contentLength: length !== undefined && Number.isFinite(length) ? length : undefined,
  };
}

function isStream(v: unknown): v is Readable {
  return typeof v === 'object' && v !== null && typeof (v as Readable).pipe === 'function';
}
