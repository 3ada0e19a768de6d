import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import SqliteDriver from 'better-sqlite3';
import { createEmbeddedBus } from '../src/internal/bus/embedded/create-embedded-bus.js';
import { SQLITE_CAPABILITIES } from '../src/internal/sqlutil/storage-capabilities.js';
const stats = new Map<string, { n: number; ms: number }>();
const dir = mkdtempSync(join(tmpdir(), 'p-'));
const handle = new SqliteDriver(join(dir, 'b.db'));
handle.pragma('journal_mode = WAL'); handle.pragma('synchronous = NORMAL');
const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: handle }), log(e) {
  const k = e.query.sql.slice(0, 40); const s = stats.get(k) ?? { n: 0, ms: 0 }; s.n++; s.ms += e.queryDurationMillis; stats.set(k, s);
} });
const database = { db, caps: SQLITE_CAPABILITIES, connectionString: 'sqlite:x', close: () => db.destroy() };
const bus = await createEmbeddedBus({ database });
const topic = { name: 'T' };
const N = Number(process.argv[2] ?? 50000);
let seen = 0; const lat: number[] = [];
let resolveDone!: () => void; const done = new Promise<void>((r) => (resolveDone = r));
await bus.subscribe<{ t: number }>({ topic, consumer: 'c', concurrency: 16, async handler(m) { lat.push(performance.now() - m.payload.t); if (++seen === N) resolveDone(); } });
const start = performance.now();
const B = Number(process.argv[4] ?? 10);
const mode = process.argv[3] ?? 'paced';
const ps: Promise<void>[] = [];
if (mode === 'paced') {
  let sent = 0;
  while (sent < N) { const due = Math.min(N, Math.floor((performance.now() - start) * 20)); for (; sent < due; sent++) ps.push(bus.publish([{ topic, key: `k${sent % 100}`, payload: { t: performance.now(), b: 'x'.repeat(150) } }])); await new Promise((r) => setImmediate(r)); }
} else {
  for (let n = 0; n < N; n += B) { ps.push(bus.publish(Array.from({ length: B }, (_, i) => ({ topic, key: `k${(n + i) % 100}`, payload: { t: performance.now(), b: 'x'.repeat(150) } })))); if (ps.length % 64 === 0) await Promise.all(ps.slice(-64)); }
}
console.log("mid"); await Promise.all(ps); const pubEnd = performance.now(); await done; const end = performance.now();
console.log((await db.selectFrom("bus_consumers" as never).selectAll().execute()));
lat.sort((a, b) => a - b);
console.log({ pubMs: pubEnd - start, totalMs: end - start, rate: N / ((end - start) / 1000), p50: lat[Math.floor(lat.length / 2)], p99: lat[Math.floor(lat.length * 0.99)] });
for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) console.log(s.n, s.ms.toFixed(1), (s.ms / s.n).toFixed(3), k);
await bus.close(); await database.close();
