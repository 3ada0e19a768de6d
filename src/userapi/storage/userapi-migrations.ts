/**
 * The userapi's schema, as versioned migrations (see `run-migrations.ts`). The DDL is shared
 * by both engines; only the auto-increment key comes from the capability flags.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';
import { filtersMigration } from './filters-migration.js';
import { keysMigration } from './keys-migration.js';
import { keyBackupMigration } from './key-backup-migration.js';
import { notificationsMigration } from './notifications-migration.js';
import { notificationReadMarkersMigration } from './notification-read-markers-migration.js';
import { notificationThreadsMigration } from './notification-threads-migration.js';
import { notificationCountsMigration } from './notification-counts-migration.js';
import { notificationRoomPosIndexMigration } from './notification-room-pos-index-migration.js';
import { openIdTokensMigration } from './openid-tokens-migration.js';
import { pushersMigration } from './pushers-migration.js';
import { pushQueueMigration } from './push-queue-migration.js';
import { accountModerationMigration } from './account-moderation-migration.js';
import { userDirectoryMigration } from './user-directory-migration.js';

const createTables: Migration = {
  version: 1,
  name: 'accounts, devices, tokens, profiles, account data, registration',
  async up(db, caps) {
    const statements = [
      sql`CREATE TABLE userapi_accounts (
        localpart TEXT PRIMARY KEY,
        password_hash TEXT,
        account_type TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0,
        deactivated INTEGER NOT NULL DEFAULT 0,
        appservice_id TEXT,
        created_ts BIGINT NOT NULL
      )`,
      sql`CREATE TABLE userapi_devices (
        localpart TEXT NOT NULL,
        device_id TEXT NOT NULL,
        display_name TEXT,
        created_ts BIGINT NOT NULL,
        last_seen_ts BIGINT,
        last_seen_ip TEXT,
        last_seen_user_agent TEXT,
        PRIMARY KEY (localpart, device_id)
      )`,
      sql`CREATE TABLE userapi_access_tokens (
        token_hash TEXT PRIMARY KEY,
        localpart TEXT NOT NULL,
        device_id TEXT NOT NULL,
        created_ts BIGINT NOT NULL,
        expires_ts BIGINT,
        refresh_token_id BIGINT,
        replaces_refresh_id BIGINT
      )`,
      sql`CREATE INDEX userapi_access_tokens_device ON userapi_access_tokens (localpart, device_id)`,
      sql`CREATE INDEX userapi_access_tokens_refresh ON userapi_access_tokens (refresh_token_id)`,
      sql`CREATE TABLE userapi_refresh_tokens (
        id ${sql.raw(caps.autoIncrementPk)},
        token_hash TEXT NOT NULL UNIQUE,
        localpart TEXT NOT NULL,
        device_id TEXT NOT NULL,
        created_ts BIGINT NOT NULL,
        next_id BIGINT
      )`,
      sql`CREATE INDEX userapi_refresh_tokens_device ON userapi_refresh_tokens (localpart, device_id)`,
      sql`CREATE INDEX userapi_refresh_tokens_next ON userapi_refresh_tokens (next_id)`,
      sql`CREATE TABLE userapi_login_tokens (
        token_hash TEXT PRIMARY KEY,
        localpart TEXT NOT NULL,
        created_ts BIGINT NOT NULL,
        expires_ts BIGINT NOT NULL
      )`,
      sql`CREATE INDEX userapi_login_tokens_expiry ON userapi_login_tokens (expires_ts)`,
      sql`CREATE TABLE userapi_profiles (
        localpart TEXT PRIMARY KEY,
        displayname TEXT,
        avatar_url TEXT,
        custom TEXT NOT NULL DEFAULT '{}',
        version INTEGER NOT NULL DEFAULT 0
      )`,
      sql`CREATE TABLE userapi_account_data (
        localpart TEXT NOT NULL,
        room_id TEXT NOT NULL,
        type TEXT NOT NULL,
        content TEXT,
        stream_pos BIGINT NOT NULL,
        PRIMARY KEY (localpart, room_id, type)
      )`,
      sql`CREATE INDEX userapi_account_data_stream ON userapi_account_data (localpart, stream_pos)`,
      sql`CREATE TABLE userapi_account_data_streams (
        localpart TEXT PRIMARY KEY,
        position BIGINT NOT NULL
      )`,
      sql`CREATE TABLE userapi_registration_tokens (
        token TEXT PRIMARY KEY,
        uses_allowed INTEGER,
        pending INTEGER NOT NULL DEFAULT 0,
        completed INTEGER NOT NULL DEFAULT 0,
        expiry_time BIGINT
      )`,
      sql`CREATE TABLE userapi_uia_sessions (
        session_id TEXT PRIMARY KEY,
        completed TEXT NOT NULL,
        params TEXT NOT NULL,
        created_ts BIGINT NOT NULL,
        version INTEGER NOT NULL DEFAULT 0,
        registration_token TEXT
      )`,
      sql`CREATE INDEX userapi_uia_sessions_created ON userapi_uia_sessions (created_ts)`,
      sql`CREATE TABLE userapi_registration_nonces (
        nonce_hash TEXT PRIMARY KEY,
        expires_ts BIGINT NOT NULL
      )`,
    ];
    for (const s of statements) await s.execute(db);
  },
};

const createPresence: Migration = {
  version: 2,
  name: 'presence',
  async up(db) {
    const statements = [
      sql`CREATE TABLE userapi_presence (
        localpart TEXT PRIMARY KEY,
        presence TEXT NOT NULL,
        status_msg TEXT,
        last_active_ts BIGINT,
        stream_pos BIGINT NOT NULL
      )`,
      sql`CREATE INDEX userapi_presence_stream_pos ON userapi_presence (stream_pos)`,
      sql`CREATE TABLE userapi_presence_stream (
        id INTEGER PRIMARY KEY,
        position BIGINT NOT NULL
      )`,
    ];
    for (const s of statements) await s.execute(db);
  },
};

/** Every userapi migration, in order. */
export const USERAPI_MIGRATIONS: readonly Migration[] = [createTables, createPresence, userDirectoryMigration(3), filtersMigration(4), openIdTokensMigration(5), keyBackupMigration(6), keysMigration(7), notificationsMigration(8), pushersMigration(9), notificationReadMarkersMigration(10), notificationThreadsMigration(11), notificationCountsMigration(12), notificationRoomPosIndexMigration(13), pushQueueMigration(14), accountModerationMigration(15)];
