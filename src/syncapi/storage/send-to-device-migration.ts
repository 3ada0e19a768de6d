/**
 * A syncapi migration: `syncapi_send_to_device`, the send-to-device messages waiting for local
 * devices (see `send-to-device-table.ts`).
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** The send-to-device table, as migration number `version`. */
export function sendToDeviceMigration(version: number): Migration {
  return {
    version,
    name: 'send-to-device messages',
    async up(db, caps) {
      const statements = [
        // `id` is the `to_device` stream position. Both engines' keys never reuse a value, so a
        // message stored after others were deleted still sorts after every token handed out.
        sql`CREATE TABLE syncapi_send_to_device (
          id ${sql.raw(caps.autoIncrementPk)},
          user_id TEXT NOT NULL,
          device_id TEXT NOT NULL,
          message_id TEXT NOT NULL,
          json TEXT NOT NULL
        )`,
        // A message repeated (bus redelivery, a retried transaction, a resent EDU) is stored once.
        sql`CREATE UNIQUE INDEX syncapi_send_to_device_message ON syncapi_send_to_device (user_id, device_id, message_id)`,
        // A device's pending messages in order, and deleting those it acknowledged.
        sql`CREATE INDEX syncapi_send_to_device_device ON syncapi_send_to_device (user_id, device_id, id)`,
      ];
      for (const s of statements) await s.execute(db);
    },
  };
}
