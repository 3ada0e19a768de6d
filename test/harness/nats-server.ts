/**
 * Starts a throw-away NATS server with JetStream (`nats-server -js`) on a free port with its store
 * in a temp dir. `restart()` stops and starts it on the same port and store, for durability tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary.js';
import { freePort } from './free-port.js';
import { stopChild } from './postgres-server.js';

export interface NatsServer {
  readonly url: string;
  stop(): Promise<void>;
  /** Stops (SIGTERM or SIGKILL) and starts again with the same port and store. */
  restart(signal?: NodeJS.Signals): Promise<void>;
}

/** Why NATS cannot be started here, or undefined when it can. */
export function natsUnavailableReason(): string | undefined {
  if (process.env.AXON_TEST_NATS_URL) return undefined;
  return findBinary('nats-server', ['/usr/sbin']) ? undefined : 'nats-server binary not found';
}

/** Starts a server; on `port` when given (a client may already be waiting there), else a free one. */
export async function startNats(opts: { readonly port?: number } = {}): Promise<NatsServer> {
  const bin = findBinary('nats-server', ['/usr/sbin']);
  if (!bin) throw new Error('nats-server binary not found');
  const dir = mkdtempSync(join(tmpdir(), 'axon-nats-'));
  const port = opts.port ?? (await freePort());
  let child: ChildProcess;
  const start = async () => {
    child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
    child.unref();
    await waitPort(port, child);
  };
  const killAtExit = () => child.kill('SIGKILL');
  process.once('exit', killAtExit);
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      process.off('exit', killAtExit);
      await stopChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(signal: NodeJS.Signals = 'SIGTERM') {
      await stopChild(child, signal);
      await start();
    },
  };
}

async function waitPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nats-server did not start within 15 s');
}
