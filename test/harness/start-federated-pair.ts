/**
 * Two real Axon monoliths in this process that federate with each other over real HTTPS:
 * A's federation listener on 127.0.0.1, B's on 127.0.0.2 (Linux routes all of 127/8 to
 * loopback), each with a certificate for its IP issued by one test CA that both servers trust
 * (`federation.ca_file`), TLS verification on, loopback allowed (`federation.allow_networks`).
 *
 * Server names are `127.0.0.x:<port>`: an IP literal with an explicit port, which server
 * discovery connects to directly (spec steps 1–2), so no DNS or well-known is involved. The
 * server name must be fixed before start while the port is only known after a bind, so a free
 * port is picked first and the start retried on the (rare) race where another process took it.
 *
 * Each server is a `ClientTestServer` (shared-secret registration, `call`), with metrics on so
 * tests can count the requests a server received.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClientTestServer, type ClientTestServer } from '../clientapi/client-test-server.js';
import { startOnFreePort } from './free-port.js';
import { startLoopbackPair } from './start-loopback-pair.js';
import { createTestCa, opensslUnavailableReason, type TestCa } from './start-federated-pair-pki.js';

/** One server of the pair. */
export interface FederatedServer {
  /** `127.0.0.x:<port>`, the federation listener's address. */
  readonly serverName: string;
  /** The federation listener, `https://127.0.0.x:<port>`. */
  readonly federationUrl: string;
  /** The client listener (plain HTTP on 127.0.0.1). */
  readonly clientUrl: string;
  /** Its signing key file (Synapse format), e.g. for a test to sign requests as this server. */
  readonly signingKeyPath: string;
  /** Calls its client API, registers users (shared secret), logs in. */
  readonly client: ClientTestServer;
}

/** The running pair. */
export interface FederatedPair {
  readonly a: FederatedServer;
  readonly b: FederatedServer;
  /** The CA both servers trust, for test clients that must reach them. */
  readonly caFile: string;
  /** Stops both servers and deletes their files. */
  stop(): Promise<void>;
}

/** Why the pair cannot run here (no `openssl` to make certificates), or `undefined`. */
export function federatedPairUnavailableReason(): string | undefined {
  return opensslUnavailableReason();
}

/**
 * Starts A on 127.0.0.1 and B on 127.0.0.2; `config` is merged into both configs (top-level keys
 * replace), then `perServer.a` / `perServer.b` into that server's alone.
 */
export async function startFederatedPair(
  config: Record<string, unknown> = {},
  perServer: Partial<Record<'a' | 'b', Record<string, unknown>>> = {},
): Promise<FederatedPair> {
  const dir = mkdtempSync(join(tmpdir(), 'axon-fedpair-'));
  const ca = createTestCa();
  const pair = await startLoopbackPair(
    (label, ip) => startFederatedServer({ label, ip, ca, dir, config: { ...config, ...perServer[label] } }),
    (s) => s.client.stop(),
    () => {
      ca.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  );
  return { ...pair, caFile: ca.caFile };
}

/** Where and how {@link startFederatedServer} starts one server. */
export interface ServerSetup {
  /** Names its certificate and signing key files (unique per CA and dir). */
  readonly label: string;
  /** The loopback address of its federation listener, e.g. `127.0.0.1`. */
  readonly ip: string;
  /** Issues its certificate; the only CA it trusts for outbound federation. */
  readonly ca: TestCa;
  /** Holds its signing key (the caller deletes it). */
  readonly dir: string;
  /** Merged into its config (top-level keys replace). */
  readonly config: Record<string, unknown>;
}

/** Starts ONE federating Axon server (e.g. to pair it with another implementation); `stop` it via `client.stop()`. */
export async function startFederatedServer(s: ServerSetup): Promise<FederatedServer> {
  const cert = s.ca.issue(s.label, [], [s.ip]);
  const signingKeyPath = join(s.dir, `${s.label}.signing.key`);
  return startOnFreePort(s.ip, async (port) => {
    const serverName = `${s.ip}:${port}`;
    const client = await startClientTestServer({
      server_name: serverName,
      signing_key_path: signingKeyPath,
      listen: {
        client: { host: '127.0.0.1', port: 0 },
        internal: { host: '127.0.0.1', port: 0 },
        federation: { host: s.ip, port, tls_cert: cert.certFile, tls_key: cert.keyFile },
      },
      federation: { enabled: true, tls_verify: true, ca_file: s.ca.caFile, allow_networks: ['127.0.0.0/8'] },
      metrics: { enabled: true },
      ...s.config,
    });
    return { serverName, federationUrl: `https://${serverName}`, clientUrl: client.url, signingKeyPath, client };
  });
}
