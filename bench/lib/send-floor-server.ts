/**
 * The server side of `bench/send-floor.ts`: bare `node:http` doing only the storage work a
 * send needs in Axon's design, with no framework, no auth rules, no bus reads, no sync: for
 * each `PUT …/send/…` it parses the body, looks up the transaction ID, builds, hashes and signs
 * the event (Axon's own code), then commits the roomserver's rows (the event, its previous
 * events, the transaction ID, the room's head, the outbox message) and the syncapi's rows (its
 * timeline copy and search row) in two transactions, on the real tables (Axon's migrations) in
 * a SQLite file opened as Axon opens it; with the argument `roomserver-only`, without the
 * syncapi's transaction. Prints its port on stdout.
 */
import http from 'node:http';
import type SqliteDriver from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvent } from '../../src/matrix/build-event.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { generateSigningKey } from '../../src/matrix/signing-key.js';
import { openDatabase } from '../../src/internal/sqlutil/open-database.js';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import { BUS_MIGRATIONS } from '../../src/internal/bus/embedded/bus-tables.js';
import { openRoomserverStorage } from '../../src/roomserver/storage/index.js';
import { openSyncStorage } from '../../src/syncapi/storage/index.js';

const withSync = process.argv[2] !== 'roomserver-only';
const dir = mkdtempSync(join(tmpdir(), 'axon-send-floor-'));
const database = await openDatabase(`sqlite:${join(dir, 'axon.db')}`);
await runMigrations(database, 'bus', BUS_MIGRATIONS);
await openRoomserverStorage(database);
await openSyncStorage(database);
// The handle Axon's SQLite storage runs on, as the driver's own type (Axon's narrows it).
const db = database.sqlite as unknown as SqliteDriver.Database;
const rv = roomVersion('11');
const signer = { serverName: 'bench.test', key: generateSigningKey() };
const roomId = '!floor:bench.test';
const sender = '@bench:bench.test';

db.prepare(`INSERT INTO roomserver_rooms (room_id, room_version) VALUES (?, ?)`).run(roomId, '11');
const roomNid = (db.prepare(`SELECT room_nid FROM roomserver_rooms WHERE room_id = ?`).get(roomId) as { room_nid: number }).room_nid;
const q = {
  txn: db.prepare(`select event_id from roomserver_transactions where room_id = ? and user_id = ? and device_id = ? and transaction_id = ?`),
  event: db.prepare(
    `insert into roomserver_events (event_id, room_nid, event_type_nid, event_state_key_nid, depth, sender, origin_server_ts, json, prev_event_ids, auth_event_ids, state_before_nid, state_after_nid) values (?, ?, 7, null, ?, ?, ?, ?, ?, ?, 1, 1)`,
  ),
  prev: db.prepare(`insert into roomserver_previous_events (prev_event_id, event_nid) values (?, ?) on conflict do nothing`),
  txnInsert: db.prepare(`insert into roomserver_transactions (room_id, user_id, device_id, transaction_id, event_id) values (?, ?, ?, ?, ?) on conflict do nothing`),
  head: db.prepare(`update roomserver_rooms set latest_event_nids = ?, last_stream_pos = ? where room_nid = ?`),
  outbox: db.prepare(`insert into bus_log (topic, msg_key, msg_id, payload, created_at) values (?, ?, ?, ?, ?)`),
  sync: db.prepare(
    `insert into syncapi_output_room_events (room_id, event_id, type, sender, state_key, membership, depth, origin_server_ts, json, stripped_state, adds_state, removes_state, changes_state, txn_device_id, txn_id) values (?, ?, ?, ?, null, null, ?, ?, ?, null, '[]', '[]', 0, ?, ?)`,
  ),
  search: db.prepare(`insert into syncapi_search (position, room_id, type, sender, text) values (?, ?, ?, ?, ?) on conflict (position) do nothing`),
};
const roomserverTxn = db.transaction((ev: { eventId: string; json: string; depth: number; ts: number; prev: string }, txnId: string) => {
  const nid = Number(q.event.run(ev.eventId, roomNid, ev.depth, sender, ev.ts, ev.json, JSON.stringify([ev.prev]), '[]').lastInsertRowid);
  q.prev.run(ev.prev, nid);
  q.txnInsert.run(roomId, sender, 'DEVICE', txnId, ev.eventId);
  q.head.run(JSON.stringify([nid]), nid, roomNid);
  q.outbox.run('OutputRoomEvent', roomId, ev.eventId, `{"type":"new_room_event","event":${ev.json}}`, ev.ts);
});
const syncTxn = db.transaction((ev: { eventId: string; json: string; depth: number; ts: number }, txnId: string, body: string) => {
  const pos = Number(q.sync.run(roomId, ev.eventId, 'm.room.message', sender, ev.depth, ev.ts, ev.json, 'DEVICE', txnId).lastInsertRowid);
  q.search.run(pos, roomId, 'm.room.message', sender, body);
});

let prev = '$' + 'A'.repeat(43);
let depth = 1;
const server = http.createServer((req, res) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (text += c));
  req.on('end', () => {
    const txnId = req.url!.slice(req.url!.lastIndexOf('/') + 1);
    const content = JSON.parse(text) as { body: string };
    const known = q.txn.get(roomId, sender, 'DEVICE', txnId) as { event_id: string } | undefined;
    if (known) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ event_id: known.event_id }));
    const ts = Date.now();
    const event = buildEvent(
      { type: 'm.room.message', sender, content, room_id: roomId, prev_events: [prev], auth_events: ['$' + 'B'.repeat(43), '$' + 'C'.repeat(43), '$' + 'D'.repeat(43)], depth: ++depth, origin_server_ts: ts },
      rv,
      signer,
    );
    const ev = { eventId: event.eventId, json: JSON.stringify(event.json), depth, ts, prev };
    roomserverTxn(ev, txnId);
    prev = event.eventId;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ event_id: event.eventId }));
    // After the answer, as Axon's syncapi consumer writes after the roomserver has answered.
    if (withSync) setImmediate(() => syncTxn(ev, txnId, content.body));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(typeof addr === 'object' && addr ? addr.port : '');
});
