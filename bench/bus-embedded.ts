/**
 * Throughput and latency of the embedded bus, publish → handler, measured by `measureBus`
 * (`measure-bus.ts` describes the figures), so they compare with the other implementations'.
 * PostgreSQL: AXON_BENCH_POSTGRES_URL or AXON_TEST_POSTGRES_URL (an admin URL; a fresh database
 * is created), else a throw-away server is started. Run alone with
 * `npm run bench -- bus-embedded [sqlite|postgres]`; the last line printed is JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEmbeddedBus } from '../src/internal/bus/embedded/create-embedded-bus.js';
import type { Database } from '../src/internal/sqlutil/database.js';
import { openDatabase } from '../src/internal/sqlutil/open-database.js';
import { postgresAt, startPostgres, type PostgresServer } from '../test/harness/postgres-server.js';
import { measureBus, type BusBenchResult } from './measure-bus.js';

/** Measures the embedded bus on a fresh SQLite file or PostgreSQL database. */
export async function benchEmbedded(kind: 'sqlite' | 'postgres'): Promise<BusBenchResult> {
  const env = await openBenchDatabase(kind);
  try {
    const bus = await createEmbeddedBus({ database: env.database });
    try {
      return await measureBus(bus);
    } finally {
      await bus.close();
    }
  } finally {
    await env.close();
  }
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
