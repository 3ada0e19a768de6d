/**
 * The federationapi's schema as versioned migrations (`run-migrations.ts`). One DDL for both
 * engines.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';
import { receivedTransactionsMigration } from './received-transactions-migration.js';
import { queueMigration } from './queue-migration.js';
import { remoteDeviceListsMigration } from './remote-device-lists-migration.js';

const createServerKeys: Migration = {
  version: 1,
  name: 'server keys',
  async up(db) {
    await sql`CREATE TABLE federationapi_server_keys (
      server_name TEXT NOT NULL,
      key_id TEXT NOT NULL,
      public_key TEXT NOT NULL,
      valid_until_ts BIGINT NOT NULL,
      expired_ts BIGINT,
      key_json TEXT NOT NULL,
      fetched_at BIGINT NOT NULL,
      PRIMARY KEY (server_name, key_id)
    )`.execute(db);
  },
};

/** Every migration of the federationapi, in order. */
export const FEDERATIONAPI_MIGRATIONS: readonly Migration[] = [createServerKeys, receivedTransactionsMigration(2), queueMigration(3), remoteDeviceListsMigration(4)];
