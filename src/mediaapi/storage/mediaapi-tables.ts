/**
 * Row shapes of the mediaapi's tables, for Kysely. A media row exists from `/create` on; its
 * `content_hash` stays null until the bytes arrive (async upload), which is what "not yet
 * uploaded" means. Files live on disk under their sha256, so several rows may share one file.
 */
import type { UrlPreviewsTables } from './url-previews-table.js';

export interface MediaRow {
  /** Server name the media belongs to (ours for local uploads). */
  origin: string;
  media_id: string;
  /** Hex sha256 of the bytes; null while an async upload has not arrived. */
  content_hash: string | null;
  content_type: string | null;
  upload_name: string | null;
  size: number | null;
  /** The uploader (local media only). */
  user_id: string | null;
  created_ts: number;
  /** When a created-but-unused media ID stops accepting its upload; null once uploaded. */
  unused_expires_ts: number | null;
  quarantined: number;
}

export interface ThumbnailRow {
  origin: string;
  media_id: string;
  width: number;
  height: number;
  method: string;
  animated: number;
  content_type: string;
  content_hash: string;
  size: number;
}

export interface MediaapiTables extends UrlPreviewsTables {
  mediaapi_media: MediaRow;
  mediaapi_thumbnails: ThumbnailRow;
}
