/**
 * `npm run bench -- bus`: publish → handler throughput and latency of every bus implementation
 * on this machine — the embedded bus on SQLite and on PostgreSQL (`benchEmbedded` of
 * `bus-embedded.ts`) and NATS JetStream (`measureBus` of `measure-bus.ts`, the same method:
 * a 100,000-message flood over 100 keys for throughput, then one message per call at a steady
 * rate for latency). NATS latency is taken at 5,000 msg/s rather than the embedded bus's 20,000,
 * so it measures delivery rather than queueing behind a rate near its capacity.
 *
 * Starts its own PostgreSQL and nats-server (file storage in a temp dir) and stops them. The last
 * line printed is one JSON object: `{"embedded_sqlite": {…}, "embedded_postgres": {…}, "nats": {…}}`
 * with `msgs_per_s`, `p50_ms` and `p99_ms` each.
 */
import { createNatsBus } from '../src/internal/bus/nats/create-nats-bus.js';
import { startNats } from '../test/harness/nats-server.js';
import { startPostgres } from '../test/harness/postgres-server.js';
import { benchEmbedded } from './bus-embedded.js';
import { DEFAULT_MEASURE, measureBus, type BusBenchResult } from './measure-bus.js';

const NATS_PACED_RATE = 5000;

async function benchNats(url: string): Promise<BusBenchResult> {
  const bus = await createNatsBus({ servers: url, prefix: 'bench' });
  try {
    return await measureBus(bus, { ...DEFAULT_MEASURE, pacedRate: NATS_PACED_RATE });
  } finally {
    await bus.close();
  }
}

const pg = await startPostgres();
try {
  const nats = await startNats();
  try {
    // benchEmbedded('postgres') uses this server instead of starting another.
    process.env.AXON_BENCH_POSTGRES_URL = pg.adminUrl;
    const embedded_sqlite = await benchEmbedded('sqlite');
    console.error(`embedded_sqlite: ${JSON.stringify(embedded_sqlite)}`);
    const embedded_postgres = await benchEmbedded('postgres');
    console.error(`embedded_postgres: ${JSON.stringify(embedded_postgres)}`);
    const natsResult = await benchNats(nats.url);
    console.error(`nats: ${JSON.stringify(natsResult)}`);
    console.log(JSON.stringify({ embedded_sqlite, embedded_postgres, nats: natsResult }));
  } finally {
    await nats.stop();
  }
} finally {
  await pg.stop();
}
