/**
 * A syncapi migration: an index on each room's events in topological order,
 * `(room_id, depth, id)`. `/messages` and `/context` page through a room by (depth, stream
 * position), the order of the room's DAG (backfilled history has low depths but new positions),
 * and each page must be one index range scan, not a sort of the room's whole timeline.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** The topological index of `syncapi_output_room_events`, as migration number `version`. */
export function topologicalIndexMigration(version: number): Migration {
  return {
    version,
    name: 'output room events in topological order',
    async up(db) {
      await sql`CREATE INDEX syncapi_output_room_events_topology ON syncapi_output_room_events (room_id, depth, id)`.execute(db);
    },
  };
}
