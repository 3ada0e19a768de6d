/**
 * Starts an Axon polylith for end-to-end tests: one `axon --components …` process per entry,
 * all on one PostgreSQL database and one NATS JetStream namespace, sharing one signing key, with
 * the sample nginx config in front.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateConfig } from '../../src/internal/config/generate-config.js';
import { formatSigningKey, generateSigningKey } from '../../src/matrix/signing-key.js';
import { freePort } from './free-port.js';
import { natsUnavailableReason, startNats } from './nats-server.js';
import { nginxUnavailableReason, startNginx, type NginxServer } from './nginx-server.js';
import { postgresUnavailableReason } from './postgres-server.js';
import { servicesRequired, skipReason } from './services-required.js';
import { startAxon, type AxonProcess } from './spawn-axon.js';
import { getTestPostgres } from './test-postgres.js';

/**
 * The `skip` option of a polylith suite: false, or the printed reason (PostgreSQL, NATS or nginx
 * missing) when services are not required.
 */
export function polylithSkip(): string | false {
  const missing = [
    ['PostgreSQL', postgresUnavailableReason()],
    ['NATS', natsUnavailableReason()],
    ['nginx', nginxUnavailableReason()],
  ].find(([, why]) => why !== undefined);
  return missing && !servicesRequired() ? skipReason(missing[0]!, missing[1]!) : false;
}

/** The internal-API secret every process of a test polylith shares. */
export const POLYLITH_SECRET = 'polylith-internal-secret';

export interface PolylithProcessSpec {
  /** A label for the process, e.g. `sync`. */
  readonly name: string;
  readonly components: readonly string[];
}

export interface Polylith {
  /** nginx's address: the public URL clients use. */
  readonly publicUrl: string;
  readonly processes: ReadonlyMap<string, AxonProcess>;
  readonly configDir: string;
  stop(): Promise<void>;
}

/** One process per component the client read paths need: roomserver, userapi, syncapi, clientapi. */
export const SYNC_POLYLITH: readonly PolylithProcessSpec[] = [
  { name: 'room', components: ['roomserver'] },
  { name: 'user', components: ['userapi'] },
  { name: 'sync', components: ['syncapi'] },
  { name: 'client', components: ['clientapi'] },
];

/**
 * Starts the polylith. Its ports are picked before the processes start (each process must know
 * its peers' addresses), so a test running alongside can take one first: a process that fails
 * with EADDRINUSE makes the whole start-up begin again on new ports (three tries).
 */
export async function startPolylith(specs: readonly PolylithProcessSpec[], serverName = 'polylith.test'): Promise<Polylith> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPolylithOnce(specs, serverName);
    } catch (e) {
      if (attempt >= 3 || !/EADDRINUSE|Address already in use/.test(String((e as Error).message))) throw e;
    }
  }
}

async function startPolylithOnce(specs: readonly PolylithProcessSpec[], serverName: string): Promise<Polylith> {
  const dir = mkdtempSync(join(tmpdir(), 'axon-polylith-'));
  const keyPath = join(dir, 'signing.key');
  writeFileSync(keyPath, `${formatSigningKey(generateSigningKey())}\n`, { mode: 0o600 });
  const database = await (await getTestPostgres()).createDatabase('axon_polylith');
  const ownNats = process.env.AXON_TEST_NATS_URL ? undefined : await startNats();
  const natsUrl = process.env.AXON_TEST_NATS_URL ?? ownNats!.url;
  const prefix = `poly${randomBytes(4).toString('hex')}`;

  const ports = await Promise.all(specs.map(async () => ({ client: await freePort(), internal: await freePort() })));
  const where = new Map<string, { client: number; internal: number }>();
  specs.forEach((s, i) => s.components.forEach((c) => where.set(c, ports[i]!)));
  const peers = Object.fromEntries([...where].map(([c, p]) => [c, { internal_url: `http://127.0.0.1:${p.internal}` }]));

  const processes = new Map<string, AxonProcess>();
  let nginx: NginxServer | undefined;
  const stop = async () => {
    await nginx?.stop();
    await Promise.all([...processes.values()].map((p) => p.stop('SIGTERM')));
    await ownNats?.stop();
  };
  try {
    for (const [i, spec] of specs.entries()) {
      const cfgPath = join(dir, `${spec.name}.yaml`);
      const text = generateConfig({
        server_name: serverName,
        signing_key_path: keyPath,
        'listen.client.port': ports[i]!.client,
        'listen.internal.port': ports[i]!.internal,
        'listen.internal.shared_secret': POLYLITH_SECRET,
        'database.connection_string': database,
        'bus.kind': 'nats',
        'bus.nats.servers': [natsUrl],
        'bus.nats.prefix': prefix,
        components: peers,
        'rate_limiting.enabled': false,
        'registration.enabled': true,
      });
      writeFileSync(cfgPath, text);
      processes.set(spec.name, await startAxon(['--config', cfgPath, '--components', spec.components.join(',')]));
    }
    const addr = (c: string) => `127.0.0.1:${(where.get(c) ?? where.get('clientapi') ?? ports[0]!).client}`;
    nginx = await startNginx({
      clientapi: addr('clientapi'),
      syncapi: addr('syncapi'),
      mediaapi: addr('mediaapi'),
      federationapi: addr('federationapi'),
    });
    return { publicUrl: nginx.url, processes, configDir: dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
