/**
 * The `{serverName}/{mediaId}` of media URLs, checked as the spec demands against directory
 * traversal (content_repo "Security considerations"): a valid server name, a media ID of
 * `[A-Za-z0-9_-]` only. Anything else cannot name a media, so it is "not found".
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isValidServerName } from '../../matrix/ids/server-name.js';

export const MediaParams = Type.Object({ serverName: Type.String(), mediaId: Type.String() });
export const MediaFileParams = Type.Object({ serverName: Type.String(), mediaId: Type.String(), fileName: Type.String() });

const MEDIA_ID = /^[A-Za-z0-9_-]{1,255}$/;

/** Throws M_NOT_FOUND unless both parts are well formed. */
export function checkMediaRef(serverName: string, mediaId: string): void {
  if (!isValidServerName(serverName) || !MEDIA_ID.test(mediaId)) throw MatrixError.notFound('Media not found');
}
