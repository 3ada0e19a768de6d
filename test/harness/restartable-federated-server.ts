/**
 * A federating Axon monolith that can be stopped and started again as the same server: the
 * same server name (`<ip>:<port>`, so the port is kept), signing key, certificate and SQLite
 * database (which also holds the embedded bus and the outbound queues). Tests use it for what a
 * restart or an outage must not lose.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClientTestServer, type ClientTestServer } from '../clientapi/client-test-server.js';
import { freePort } from './free-port.js';
import type { TestCa } from './start-federated-pair-pki.js';

/** The server across restarts. */
export interface RestartableServer {
  readonly serverName: string;
  /** The running instance (throws while stopped). */
  readonly client: ClientTestServer;
  /** Stops it, keeping its files. */
  down(): Promise<void>;
  /** Starts it again on the same port with the same files. */
  up(): Promise<void>;
  /** Stops it and deletes its files. */
  dispose(): Promise<void>;
}

/** Starts the server on `ip` with a certificate from `ca` (which it also trusts). */
export async function startRestartableServer(label: string, ip: string, ca: TestCa): Promise<RestartableServer> {
  const dir = mkdtempSync(join(tmpdir(), `axon-restartable-${label}-`));
  const cert = ca.issue(`${label}-restartable`, [], [ip]);
  const port = await freePort(ip);
  const serverName = `${ip}:${port}`;
  const config = {
    server_name: serverName,
    signing_key_path: join(dir, 'signing.key'),
    database: { connection_string: `sqlite:${join(dir, 'axon.db')}` },
    media: { path: join(dir, 'media') },
    listen: {
      client: { host: '127.0.0.1', port: 0 },
      internal: { host: '127.0.0.1', port: 0 },
      federation: { host: ip, port, tls_cert: cert.certFile, tls_key: cert.keyFile },
    },
    federation: { enabled: true, tls_verify: true, ca_file: ca.caFile, allow_networks: ['127.0.0.0/8'] },
  };
  let running: ClientTestServer | undefined;
  const up = async (): Promise<void> => {
    if (!running) running = await startClientTestServer(config);
  };
  const down = async (): Promise<void> => {
    const r = running;
    running = undefined;
    await r?.stop();
  };
  await up();
  return {
    serverName,
    get client(): ClientTestServer {
      if (!running) throw new Error(`${serverName} is stopped`);
      return running;
    },
    down,
    up,
    dispose: async () => {
      await down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
