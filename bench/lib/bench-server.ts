/**
 * The server a benchmark measures: the `axon` binary in its own process, as users run it (compiled,
 * as `npm start` runs it), on the
 * embedded default (SQLite + embedded bus) in a temporary directory. The config is written here
 * with only what a benchmark must change: rate limiting off, open registration.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAxon } from '../../test/harness/spawn-axon.js';

export interface BenchServer {
  readonly clientUrl: string;
  /** The internal listener (`/_axon/internal/…`). */
  readonly internalUrl: string;
  /** Its temporary directory (config, database, `signing.key`), deleted by `stop`. */
  readonly dir: string;
  /** The server process's ID (e.g. to read its CPU time from /proc). */
  readonly pid: number;
  /** The server process's resident memory now, in MiB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts the server; `overrides(dir)` returns config keys that replace the defaults' top-level
 * keys (e.g. a federation bench's `server_name`, `listen` and `federation`).
 */
export async function startBenchServer(name: string, overrides: (dir: string) => Record<string, unknown> = () => ({})): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), `axon-bench-${name}-`));
  const configPath = join(dir, 'axon.yaml');
  // JSON is YAML.
  writeFileSync(
    configPath,
    JSON.stringify({
      server_name: 'bench.test',
      signing_key_path: join(dir, 'signing.key'),
      listen: { client: { host: '127.0.0.1', port: 0 }, internal: { host: '127.0.0.1', port: 0 } },
      database: { connection_string: `sqlite:${join(dir, 'axon.db')}` },
      media: { path: join(dir, 'media') },
      registration: { enabled: true },
      rate_limiting: { enabled: false },
      ...overrides(dir),
    }),
  );
  let server;
  try {
    server = await startAxon(['--config', configPath], undefined, undefined, true);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const pid = server.child.pid ?? -1;
  return {
    clientUrl: server.clientUrl,
    internalUrl: server.internalUrl,
    dir,
    pid,
    rssMb() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
      return Math.round((kb / 1024) * 10) / 10;
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
