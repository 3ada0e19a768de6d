/**
 * The URL-preview part of the mediaapi's storage: the cache `preview_url` reads and fills.
 */
import type { Kysely } from 'kysely';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import * as table from './url-previews-table.js';

/** A cached preview. Times are milliseconds since the epoch. */
export interface CachedUrlPreview {
  readonly fetchedTs: number;
  readonly expiresTs: number;
  readonly preview: JsonObject;
}

/** Previews already built. */
export interface UrlPreviewsStorage {
  /** The preview of `url` fetched closest to `ts` (latest at or before it, else earliest after). */
  getClosestUrlPreview(url: string, ts: number): Promise<CachedUrlPreview | undefined>;
  /** Stores a freshly built preview of `url`. */
  storeUrlPreview(url: string, entry: CachedUrlPreview): Promise<void>;
  /** Forgets previews that expired before `before`; how many were forgotten. */
  pruneUrlPreviews(before: number): Promise<number>;
}

/** The operations over `db` (already migrated with `urlPreviewsMigration`). */
export function createUrlPreviewsStorage(db: Kysely<table.UrlPreviewsTables>): UrlPreviewsStorage {
  return {
    async getClosestUrlPreview(url, ts) {
      const row = await table.selectClosestUrlPreview(db, url, ts);
      if (!row) return undefined;
      const preview: unknown = JSON.parse(row.preview_json);
      if (!isJsonObject(preview)) return undefined;
      return { fetchedTs: Number(row.fetched_ts), expiresTs: Number(row.expires_ts), preview };
    },
    async storeUrlPreview(url, entry) {
      await table.insertUrlPreview(db, {
        url,
        fetched_ts: entry.fetchedTs,
        expires_ts: entry.expiresTs,
        preview_json: JSON.stringify(entry.preview),
      });
    },
    pruneUrlPreviews: (before) => table.deleteUrlPreviewsExpiredBefore(db, before),
  };
}
