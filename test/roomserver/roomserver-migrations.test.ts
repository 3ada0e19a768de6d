/**
 * Migration 5 rebuilds the send path's transaction and prev-edge tables in their primary key on
 * SQLite: rows written before it must survive it, and the key must still refuse duplicates.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import { ROOMSERVER_MIGRATIONS } from '../../src/roomserver/storage/roomserver-migrations.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

describeEachBackend('roomserver migrations', (backend) => {
  it('keeps transactions and prev edges across the clustering migration', async () => {
    const database = await backend.open();
    const { db } = database;
    assert.deepEqual(await runMigrations(database, 'roomserver', ROOMSERVER_MIGRATIONS.slice(0, 4)), [1, 2, 3, 4]);
    await sql`INSERT INTO roomserver_transactions VALUES ('!r:hs', '@a:hs', 'DEV', 't1', '$e1')`.execute(db);
    await sql`INSERT INTO roomserver_previous_events VALUES ('$e0', 7)`.execute(db);
    assert.deepEqual(await runMigrations(database, 'roomserver', ROOMSERVER_MIGRATIONS), [5]);

    const txns = await sql<{ event_id: string }>`SELECT event_id FROM roomserver_transactions WHERE transaction_id = 't1'`.execute(db);
    assert.deepEqual(txns.rows, [{ event_id: '$e1' }]);
    const edges = await sql<{ event_nid: number }>`SELECT event_nid FROM roomserver_previous_events WHERE prev_event_id = '$e0'`.execute(db);
    assert.deepEqual(edges.rows.map((r) => Number(r.event_nid)), [7]);
    await assert.rejects(sql`INSERT INTO roomserver_transactions VALUES ('!r:hs', '@a:hs', 'DEV', 't1', '$e2')`.execute(db));
    if (database.caps.engine === 'sqlite') {
      // Clustered: the table has no rowid any more.
      await assert.rejects(sql`SELECT rowid FROM roomserver_transactions`.execute(db), /no such column: rowid/);
    }
  });
});
