/**
 * Starts a throw-away PostgreSQL server (initdb + postgres on a free port in a temp dir) for
 * tests, the way CI and developers get one without any setup. Runs as the `postgres` system user
 * when we are root, since PostgreSQL refuses to run as root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findBinary, postgresBinDirs } from './find-binary.js';
import { freePort } from './free-port.js';

export interface PostgresServer {
  /** Connection URL of the `postgres` maintenance database. */
  readonly adminUrl: string;
  /** Creates a fresh empty database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Why PostgreSQL cannot be started here, or undefined when it can. */
export function postgresUnavailableReason(): string | undefined {
  if (process.env.AXON_TEST_POSTGRES_URL) return undefined;
  const dirs = postgresBinDirs();
  if (!findBinary('initdb', dirs) || !findBinary('postgres', dirs)) return 'initdb/postgres binaries not found';
  if (process.getuid?.() === 0 && !userExists('postgres')) return 'running as root and no postgres system user exists';
  return undefined;
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0;
}

let dbCounter = 0;

/** Wraps an already running server (AXON_TEST_POSTGRES_URL) or one we started. */
export function postgresAt(adminUrl: string, stop: () => Promise<void> = async () => {}): PostgresServer {
  return {
    adminUrl,
    async createDatabase(prefix = 'axon_test') {
      const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${dbCounter++}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop,
  };
}

/** Starts a new server; throws with the server's output if it does not come up. */
export async function startPostgres(): Promise<PostgresServer> {
  const dirs = postgresBinDirs();
  const initdb = findBinary('initdb', dirs);
  const postgres = findBinary('postgres', dirs);
  if (!initdb || !postgres) throw new Error('PostgreSQL binaries (initdb, postgres) not found');
  const dir = mkdtempSync(join(tmpdir(), 'axon-pg-'));
  const ids = process.getuid?.() === 0 ? systemUserIds('postgres') : {};
  if (ids.uid !== undefined && ids.gid !== undefined) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  const init = spawnSync(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C'], ids);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.toString()}`);
  const port = await freePort();
  const logFile = join(dir, 'postgres.log');
  const child = spawn(
    postgres,
    [
      '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300',
    ],
    { ...ids, stdio: ['ignore', 'ignore', openSync(logFile, 'a')] },
  );
  // The server must not keep a test process alive; it is stopped explicitly or at exit.
  child.unref();
  const killAtExit = () => child.kill('SIGQUIT');
  process.once('exit', killAtExit);
  const log = () => readTail(logFile);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitReady(adminUrl, child, log);
  const stop = async () => {
    process.off('exit', killAtExit);
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  return postgresAt(adminUrl, stop);
}

function systemUserIds(name: string): { uid?: number; gid?: number } {
  const uid = Number(spawnSync('id', ['-u', name]).stdout.toString().trim());
  const gid = Number(spawnSync('id', ['-g', name]).stdout.toString().trim());
  return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : {};
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${log()}`);
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      return;
    } catch {
      await c.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`postgres did not start within 30 s: ${log()}`);
}

/** Fast shutdown (SIGINT), then SIGKILL if it lingers. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
