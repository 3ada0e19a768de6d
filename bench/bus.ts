/**
 * `npm run bench -- bus`: publish → handler throughput and latency of every bus implementation
 * on this machine, all by `measureBus` (`measure-bus.ts`): the embedded bus on SQLite and on
 * PostgreSQL (`benchEmbedded` of `bus-embedded.ts`) and NATS JetStream.
 * `msgs_per_s` is a 100,000-message flood over 100 keys, 10 per publish call; `p50_ms` and
 * `p99_ms` are publish-to-handler latency at a steady 5,000 msg/s, one message per call.
 *
 * Starts its own PostgreSQL and nats-server (file storage in a temp dir) and stops them. Each
 * implementation's full result (with the one-message-per-call figures) goes to stderr; the last
 * line on stdout is one JSON object:
 * `{"embedded_sqlite": {"msgs_per_s", "p50_ms", "p99_ms"}, "embedded_postgres": {…}, "nats": {…}}`.
 */
import { createNatsBus } from '../src/internal/bus/nats/create-nats-bus.js';
import { startNats } from '../test/harness/nats-server.js';
import { startPostgres } from '../test/harness/postgres-server.js';
import { benchEmbedded } from './bus-embedded.js';
import { measureBus, type BusBenchResult } from './measure-bus.js';

type Summary = Pick<BusBenchResult, 'msgs_per_s' | 'p50_ms' | 'p99_ms'>;

async function benchNats(url: string): Promise<BusBenchResult> {
  const bus = await createNatsBus({ servers: url, prefix: 'bench' });
  try {
    return await measureBus(bus);
  } finally {
    await bus.close();
  }
}

/** Runs one implementation's bench, reports it in full on stderr, returns the summary. */
async function run(name: string, bench: () => Promise<BusBenchResult>): Promise<Summary> {
  const r = await bench();
  console.error(`${name}: ${JSON.stringify(r)}`);
  return { msgs_per_s: r.msgs_per_s, p50_ms: r.p50_ms, p99_ms: r.p99_ms };
}

const pg = await startPostgres();
try {
  const nats = await startNats();
  try {
    // benchEmbedded('postgres') uses this server instead of starting another.
    process.env.AXON_BENCH_POSTGRES_URL = pg.adminUrl;
    const embedded_sqlite = await run('embedded_sqlite', () => benchEmbedded('sqlite'));
    const embedded_postgres = await run('embedded_postgres', () => benchEmbedded('postgres'));
    const natsSummary = await run('nats', () => benchNats(nats.url));
    console.log(JSON.stringify({ embedded_sqlite, embedded_postgres, nats: natsSummary }));
  } finally {
    await nats.stop();
  }
} finally {
  await pg.stop();
}
