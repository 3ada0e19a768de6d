/**
 * `npm run bench -- send`: sequential local sends through the roomserver in-process on SQLite —
 * a fresh database and embedded bus in a temp dir, a v11 room, then `--n` (3,000) messages sent
 * one after the other through `performSendEvents` (build, sign, auth check, one transaction,
 * outbox). Last line: `{"sequential_msgs_per_s": …}`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmbeddedBus } from '../src/internal/bus/embedded/create-embedded-bus.js';
import { openDatabase } from '../src/internal/sqlutil/open-database.js';
import { generateSigningKey } from '../src/matrix/signing-key.js';
import { createRoomserverInternalAPI } from '../src/roomserver/internal/index.js';
import { openRoomserverStorage } from '../src/roomserver/storage/index.js';
import { createRoomserverRecords } from '../src/roomserver/storage/roomserver-records.js';

const nArg = process.argv.indexOf('--n');
const n = nArg >= 0 ? Number(process.argv[nArg + 1]) : 3000;
const dir = mkdtempSync(join(tmpdir(), 'axon-bench-send-'));
const database = await openDatabase(`sqlite:${join(dir, 'bench.db')}`);
const bus = await createEmbeddedBus({ database });
const outbox = await bus.outbox(database, 'roomserver');
const storage = await openRoomserverStorage(database, { outbox });
const records = createRoomserverRecords(database);
const api = createRoomserverInternalAPI({ storage, records, outbox, serverName: 'bench.local', signingKey: generateSigningKey('bench') });

const alice = '@alice:bench.local';
const roomId = '!bench:bench.local';
await api.performSendEvents({ events: [{ roomId, type: 'm.room.create', stateKey: '', sender: alice, content: { room_version: '11' } }] });
await api.performSendEvents({
  events: [
    { roomId, type: 'm.room.member', stateKey: alice, sender: alice, content: { membership: 'join' } },
    { roomId, type: 'm.room.power_levels', stateKey: '', sender: alice, content: { users: { [alice]: 100 } } },
    { roomId, type: 'm.room.join_rules', stateKey: '', sender: alice, content: { join_rule: 'public' } },
  ],
});
const send = (i: number) => api.performSendEvents({ events: [{ roomId, type: 'm.room.message', sender: alice, content: { msgtype: 'm.text', body: `message ${i}` } }] });
for (let i = 0; i < 200; i++) await send(i); // warm-up: JIT, statement cache, event cache
const start = performance.now();
for (let i = 0; i < n; i++) await send(i);
const seconds = (performance.now() - start) / 1000;
await bus.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
console.error(`${n} sequential sends in ${seconds.toFixed(2)} s`);
console.log(JSON.stringify({ sequential_msgs_per_s: Math.round(n / seconds) }));
