/**
 * Two federating bench servers (bench-server.ts: the compiled `axon` binary, each in its own
 * process and temporary directory, SQLite + embedded bus): A's federation listener on
 * 127.0.0.1, B's on 127.0.0.2, over HTTPS with certificates from one test CA that both trust,
 * TLS verification on and loopback allowed — as test/harness/start-federated-pair.ts sets up
 * in-process servers, but measured as users run the server. Each internal listener has a shared
 * secret so the bench can drive A's roomserver directly.
 *
 * Server names are `127.0.0.x:<port>` (IP literal + port: discovery connects directly), so the
 * port is picked before the start and the start retried if another process took it meanwhile.
 */
import { join } from 'node:path';
import { createTestCa, type TestCa } from '../../test/harness/start-federated-pair-pki.js';
import { startOnFreePort } from '../../test/harness/free-port.js';
import { startLoopbackPair } from '../../test/harness/start-loopback-pair.js';
import { startBenchServer, type BenchServer } from './bench-server.js';

/** One server of the pair. */
export interface FederationBenchServer extends BenchServer {
  /** `127.0.0.x:<port>`. */
  readonly serverName: string;
  /** Its `listen.internal.shared_secret`. */
  readonly internalSecret: string;
  /** Its signing key file (Synapse format). */
  readonly signingKeyPath: string;
}

/** The running pair and the CA to reach them with. */
export interface FederationBenchPair {
  readonly a: FederationBenchServer;
  readonly b: FederationBenchServer;
  readonly caFile: string;
  stop(): Promise<void>;
}

async function startOne(label: string, ip: string, ca: TestCa): Promise<FederationBenchServer> {
  const cert = ca.issue(label, [], [ip]);
  const internalSecret = `bench-internal-secret-${label}`;
  return startOnFreePort(ip, async (port) => {
    const serverName = `${ip}:${port}`;
    const server = await startBenchServer(`federation-${label}`, () => ({
      server_name: serverName,
      listen: {
        client: { host: '127.0.0.1', port: 0 },
        internal: { host: '127.0.0.1', port: 0, shared_secret: internalSecret },
        federation: { host: ip, port, tls_cert: cert.certFile, tls_key: cert.keyFile },
      },
      federation: { enabled: true, tls_verify: true, ca_file: ca.caFile, allow_networks: ['127.0.0.0/8'] },
    }));
    return { ...server, serverName, internalSecret, signingKeyPath: join(server.dir, 'signing.key') };
  });
}

/** Starts A (127.0.0.1) and B (127.0.0.2). */
export async function startFederationBenchPair(): Promise<FederationBenchPair> {
  const ca = createTestCa();
  // One after the other (startLoopbackPair's order): each start first rebuilds dist/ when stale, which must not race.
  const pair = await startLoopbackPair((label, ip) => startOne(label, ip, ca), (s) => s.stop(), () => ca.dispose());
  return { ...pair, caFile: ca.caFile };
}
