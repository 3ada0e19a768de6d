/** The mediaapi's schema, as versioned migrations (see `run-migrations.ts`); one DDL for both engines. */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';
import { urlPreviewsMigration } from './url-previews-migration.js';

const createTables: Migration = {
  version: 1,
  name: 'media and thumbnails',
  async up(db) {
    await sql`CREATE TABLE mediaapi_media (
      origin TEXT NOT NULL,
      media_id TEXT NOT NULL,
      content_hash TEXT,
      content_type TEXT,
      upload_name TEXT,
      size BIGINT,
      user_id TEXT,
      created_ts BIGINT NOT NULL,
      unused_expires_ts BIGINT,
      quarantined INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (origin, media_id)
    )`.execute(db);
    // Counting a user's pending async uploads, and finding rows sharing a file before unlinking it.
    await sql`CREATE INDEX mediaapi_media_pending ON mediaapi_media (user_id, unused_expires_ts)`.execute(db);
    await sql`CREATE INDEX mediaapi_media_hash ON mediaapi_media (content_hash)`.execute(db);
    await sql`CREATE TABLE mediaapi_thumbnails (
      origin TEXT NOT NULL,
      media_id TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      method TEXT NOT NULL,
      animated INTEGER NOT NULL,
      content_type TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      size BIGINT NOT NULL,
      PRIMARY KEY (origin, media_id, width, height, method, animated)
    )`.execute(db);
    await sql`CREATE INDEX mediaapi_thumbnails_hash ON mediaapi_thumbnails (content_hash)`.execute(db);
  },
};

export const MEDIAAPI_MIGRATIONS: readonly Migration[] = [createTables, urlPreviewsMigration(2)];
