/**
 * Throughput and latency of the embedded bus, publish → handler, in one process, 100 keys,
 * ~200-byte payloads, one consumer with concurrency 16 (the method of `measure-bus.ts`):
 * - `msgs_per_s`: a flood of 100,000 messages, 10 per publish call, at most 64 calls waiting;
 *   messages divided by the time from the first publish to the last handler call;
 * - `p50_ms` / `p99_ms`: latency from the publish call to the handler, one message per call at
 *   a steady 5,000 msg/s for 2 s;
 * - `single_msgs_per_s`, `single_p50_ms`, `single_p99_ms`: 100,000 messages published one per
 *   call by producers that each wait for their publish (64 waiting at most): throughput and
 *   latency measured together, as a server sending events one by one sees them.
 * PostgreSQL: AXON_BENCH_POSTGRES_URL or AXON_TEST_POSTGRES_URL (an admin URL; a fresh database
 * is created), else a throw-away server is started. Run alone with
 * `npm run bench -- bus-embedded [sqlite|postgres]`; the last line printed is JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bus, BusMessage, TopicSpec } from '../src/internal/bus/bus.js';
import { createEmbeddedBus } from '../src/internal/bus/embedded/create-embedded-bus.js';
import type { Database } from '../src/internal/sqlutil/database.js';
import { openDatabase } from '../src/internal/sqlutil/open-database.js';
import { postgresAt, startPostgres, type PostgresServer } from '../test/harness/postgres-server.js';

/** Results of {@link benchEmbedded}. */
export interface BusBenchResult {
  /** Messages per second, publish to handler, 10 messages per publish call. */
  readonly msgs_per_s: number;
  /** Median latency from publish call to handler at a steady 5,000 msg/s. */
  readonly p50_ms: number;
  /** 99th percentile of the same. */
  readonly p99_ms: number;
  /** Messages per second with one message per publish call. */
  readonly single_msgs_per_s: number;
  /** Median latency in that run. */
  readonly single_p50_ms: number;
  /** 99th percentile of the same. */
  readonly single_p99_ms: number;
}

interface Payload {
  readonly n: number;
  /** `performance.now()` at the publish call. */
  readonly t: number;
  readonly body: string;
}

const FLOOD_MESSAGES = 100_000;
const OUTSTANDING = 64;
const PACED_RATE = 5_000;
const PACED_MS = 2000;
const KEYS = 100;
const BODY = 'x'.repeat(150);

/** Measures the embedded bus on a fresh SQLite file or PostgreSQL database. */
export async function benchEmbedded(kind: 'sqlite' | 'postgres'): Promise<BusBenchResult> {
  const env = await openBenchDatabase(kind);
  try {
    const bus = await createEmbeddedBus({ database: env.database });
    try {
      const batch = await flood(bus, 10, 'BenchBatch');
      const single = await flood(bus, 1, 'BenchSingle');
      const paced = await steady(bus, PACED_RATE, 'BenchPaced');
      return {
        msgs_per_s: Math.round(batch.rate),
        p50_ms: round3(paced.p50),
        p99_ms: round3(paced.p99),
        single_msgs_per_s: Math.round(single.rate),
        single_p50_ms: round3(single.p50),
        single_p99_ms: round3(single.p99),
      };
    } finally {
      await bus.close();
    }
  } finally {
    await env.close();
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function message(topic: TopicSpec, n: number): BusMessage<Payload> {
  return { topic, key: `!room${n % KEYS}:bench`, payload: { n, t: performance.now(), body: BODY } };
}

/** Resolves when `count` messages have been handled; records each message's latency. */
function consume(bus: Bus, topic: TopicSpec, count: number, latencies: number[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    bus
      .subscribe<Payload>({
        topic,
        consumer: 'bench',
        concurrency: 16,
        async handler(m) {
          latencies.push(performance.now() - m.payload.t);
          if (++seen === count) resolve(performance.now());
        },
      })
      .catch(reject);
  });
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Publishes FLOOD_MESSAGES, `perCall` per publish, with at most OUTSTANDING publishes waiting. */
async function flood(bus: Bus, perCall: number, name: string): Promise<{ rate: number; p50: number; p99: number }> {
  const topic = { name };
  const latencies: number[] = [];
  const done = consume(bus, topic, FLOOD_MESSAGES, latencies);
  const start = performance.now();
  const outstanding = new Set<Promise<void>>();
  for (let n = 0; n < FLOOD_MESSAGES; n += perCall) {
    const p = bus.publish(Array.from({ length: perCall }, (_, i) => message(topic, n + i)));
    outstanding.add(p);
    void p.finally(() => outstanding.delete(p));
    if (outstanding.size >= OUTSTANDING) await Promise.race(outstanding);
  }
  await Promise.all(outstanding);
  const end = await done;
  return { rate: FLOOD_MESSAGES / ((end - start) / 1000), ...percentiles(latencies) };
}

/** Publishes one message per call at a steady `rate` for PACED_MS. */
async function steady(bus: Bus, rate: number, name: string): Promise<{ p50: number; p99: number }> {
  const topic = { name };
  const total = (rate * PACED_MS) / 1000;
  const latencies: number[] = [];
  const done = consume(bus, topic, total, latencies);
  const start = performance.now();
  const publishes: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
    for (; sent < due; sent++) publishes.push(bus.publish([message(topic, sent)]));
    // Sleep until the next message is due (timers tick in ~1 ms): spinning would steal the CPU
    // the database server needs on a small machine.
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 / rate - 0.5)));
  }
  await Promise.all(publishes);
  await done;
  return percentiles(latencies);
}

async function openBenchDatabase(kind: 'sqlite' | 'postgres'): Promise<{ database: Database; close(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'axon-bench-bus-'));
    const database = await openDatabase(`sqlite:${join(dir, 'bus.db')}`);
    return {
      database,
      async close() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.AXON_BENCH_POSTGRES_URL ?? process.env.AXON_TEST_POSTGRES_URL;
  const server: PostgresServer = url ? postgresAt(url) : await startPostgres();
  const database = await openDatabase(await server.createDatabase('axon_bench_bus'));
  return {
    database,
    async close() {
      await database.close();
      // pg's pool.end() resolves before its sockets are gone; stopping the server under them
      // would raise an unhandled "terminating connection" error.
      await new Promise((r) => setTimeout(r, 200));
      await server.stop();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const kinds = process.argv[2] ? [process.argv[2] as 'sqlite' | 'postgres'] : (['sqlite', 'postgres'] as const);
  const out: Record<string, BusBenchResult> = {};
  for (const k of kinds) {
    out[k] = await benchEmbedded(k);
    console.error(`${k}: ${JSON.stringify(out[k])}`);
  }
  console.log(JSON.stringify(out));
}
