/**
 * The `{serverName}/{mediaId}` of media URLs, checked as the spec demands against directory
 * traversal (content_repo "Security considerations"): a valid server name, a media ID of
 * `[A-Za-z0-9_-]` only. Anything else cannot name a media, so it is "not found".
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isValidServerName } from '../../matrix/ids/server-name.js';
import type { ThumbnailRequest } from '../internal/thumbnail-for.js';

export const MediaParams = Type.Object({ serverName: Type.String(), mediaId: Type.String() });
export const MediaFileParams = Type.Object({ serverName: Type.String(), mediaId: Type.String(), fileName: Type.String() });

const MEDIA_ID = /^[A-Za-z0-9_-]{1,255}$/;

/** Throws M_NOT_FOUND unless both parts are well formed. */
export function checkMediaRef(serverName: string, mediaId: string): void {
  if (!isValidServerName(serverName) || !MEDIA_ID.test(mediaId)) throw MatrixError.notFound('Media not found');
}

/** The query of thumbnail requests (client and federation routes; the client adds its own keys). */
export const ThumbnailQuery = Type.Object({
  width: Type.Integer({ minimum: 1 }),
  height: Type.Integer({ minimum: 1 }),
  method: Type.Optional(Type.Union([Type.Literal('crop'), Type.Literal('scale')])),
  animated: Type.Optional(Type.Boolean()),
  timeout_ms: Type.Optional(Type.Integer({ minimum: 0 })),
  allow_remote: Type.Optional(Type.Boolean()),
  allow_redirect: Type.Optional(Type.Boolean()),
});

/** What a thumbnail query asks for, with the spec's defaults (`scale`, not animated). */
export function thumbnailRequestOf(q: { width: number; height: number; method?: 'crop' | 'scale'; animated?: boolean }): ThumbnailRequest {
  return { width: q.width, height: q.height, method: q.method ?? 'scale', animated: q.animated ?? false };
}
