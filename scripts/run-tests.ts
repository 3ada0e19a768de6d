/**
 * `npm test`: starts the services the suites need once (PostgreSQL, NATS) from the machine's
 * binaries, runs every `*.test.ts` (or the files/folders given) with Node's test runner through
 * tsx, then stops the services. Suites find the services through AXON_TEST_* variables; a
 * missing binary makes those suites skip with a printed reason, or fail when services are required
 * (CI=true or AXON_REQUIRE_SERVICES=1).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { natsUnavailableReason, startNats, type NatsServer } from '../test/harness/nats-server.js';
import { postgresUnavailableReason, startPostgres, type PostgresServer } from '../test/harness/postgres-server.js';
import { servicesRequired } from '../test/harness/services-required.js';

function collect(path: string, out: string[]): string[] {
  if (statSync(path).isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    collect(join(path, name), out);
  }
  return out;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const files = (args.length > 0 ? args : ['src', 'test']).flatMap((r) => collect(r, []));
  if (files.length === 0) {
    console.error('no test files found');
    return 1;
  }
  const required = servicesRequired();
  // Internal API calls assert their data is JSON-safe in tests (see assert-json-safe.ts).
  const env: NodeJS.ProcessEnv = { AXON_RPC_CHECKS: '1', ...process.env };
  const stops: Array<() => Promise<void>> = [];
  let pg: PostgresServer | undefined;
  let nats: NatsServer | undefined;
  const pgWhy = postgresUnavailableReason();
  if (!env.AXON_TEST_POSTGRES_URL && !pgWhy) {
    pg = await startPostgres();
    env.AXON_TEST_POSTGRES_URL = pg.adminUrl;
    stops.push(() => pg!.stop());
  } else if (pgWhy) {
    console.log(`# PostgreSQL: ${pgWhy}${required ? ' — required, its suites will fail' : ' — its suites will be skipped'}`);
  }
  const natsWhy = natsUnavailableReason();
  if (!env.AXON_TEST_NATS_URL && !natsWhy) {
    nats = await startNats();
    env.AXON_TEST_NATS_URL = nats.url;
    stops.push(() => nats!.stop());
  } else if (natsWhy) {
    console.log(`# NATS: ${natsWhy}${required ? ' — required, its suites will fail' : ' — its suites will be skipped'}`);
  }
  const concurrency = process.env.AXON_TEST_CONCURRENCY ?? '2';
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
      { stdio: 'inherit', env },
    );
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
  });
  await Promise.all(stops.map((s) => s().catch((e: unknown) => console.error('stopping a test service failed:', e))));
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
