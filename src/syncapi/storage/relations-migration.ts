/**
 * The relations tables (`relations-table.ts`, `threads-table.ts`), filled from the events already
 * stored: the rows whose JSON mentions `m.relates_to` are read in pages and parsed here, the same
 * code on both engines (the engines' JSON functions differ), once.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { relationOf } from '../relations/relation-of.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** Rows read per page of the backfill. */
const PAGE = 500;

/** Creates `syncapi_relations` and `syncapi_threads`; `version` is its place in `SYNCAPI_MIGRATIONS`. */
export function relationsMigration(version: number): Migration {
  return {
    version,
    name: 'relations and threads',
    async up(db) {
      const statements = [
        sql`CREATE TABLE syncapi_relations (
          event_id TEXT NOT NULL PRIMARY KEY,
          room_id TEXT NOT NULL,
          relates_to TEXT NOT NULL,
          rel_type TEXT NOT NULL,
          type TEXT NOT NULL,
          sender TEXT NOT NULL,
          position BIGINT NOT NULL,
          depth BIGINT NOT NULL,
          origin_server_ts BIGINT NOT NULL
        )`,
        // A parent's children of one type in topological order (pages, counts, latest reply).
        sql`CREATE INDEX syncapi_relations_parent_type ON syncapi_relations (relates_to, rel_type, depth, position)`,
        // A parent's children of every type in topological order (`/relations/{eventId}`).
        sql`CREATE INDEX syncapi_relations_parent ON syncapi_relations (relates_to, depth, position)`,
        sql`CREATE TABLE syncapi_threads (
          room_id TEXT NOT NULL,
          root_id TEXT NOT NULL,
          latest_depth BIGINT NOT NULL,
          latest_position BIGINT NOT NULL,
          PRIMARY KEY (room_id, root_id)
        )`,
        // A room's threads by latest activity.
        sql`CREATE INDEX syncapi_threads_activity ON syncapi_threads (room_id, latest_depth, latest_position)`,
      ];
      for (const s of statements) await s.execute(db);
      await backfill(db as unknown as Kysely<SyncapiTables>);
    },
  };
}

/** Reads the stored events that may declare a relation and records those that do. */
async function backfill(db: Kysely<SyncapiTables>): Promise<void> {
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('syncapi_output_room_events')
      .select(['id', 'room_id', 'event_id', 'type', 'sender', 'depth', 'origin_server_ts', 'json'])
      .where('id', '>', after)
      .where('redacted', '=', 0)
      .where('json', 'like', '%m.relates_to%')
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      const event = JSON.parse(r.json) as unknown;
      const rel = isJsonObject(event) ? relationOf(r.event_id, event as JsonObject) : undefined;
      if (!rel) continue;
      const position = Number(r.id);
      const depth = Number(r.depth);
      await db
        .insertInto('syncapi_relations')
        .values({
          event_id: r.event_id,
          room_id: r.room_id,
          relates_to: rel.parentId,
          rel_type: rel.relType,
          type: r.type,
          sender: r.sender,
          position,
          depth,
          origin_server_ts: Number(r.origin_server_ts),
        })
        .execute();
      if (rel.relType !== 'm.thread') continue;
      // Rows come in stream order, not topological order: keep the larger (depth, position).
      await db
        .insertInto('syncapi_threads')
        .values({ room_id: r.room_id, root_id: rel.parentId, latest_depth: depth, latest_position: position })
        .onConflict((oc) =>
          oc
            .columns(['room_id', 'root_id'])
            .doUpdateSet((eb) => ({ latest_depth: eb.ref('excluded.latest_depth'), latest_position: eb.ref('excluded.latest_position') }))
            .where((eb) => eb(eb.refTuple('excluded.latest_depth', 'excluded.latest_position'), '>', eb.refTuple('syncapi_threads.latest_depth', 'syncapi_threads.latest_position'))),
        )
        .execute();
    }
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return;
    after = Number(last.id);
  }
}
