#!/usr/bin/env -S node --max-semi-space-size=4
/**
 * The `axon` binary. With no config it creates ./data/axon.yaml and ./data/signing.key and runs
 * the monolith on SQLite with the embedded bus, so `npm start` works on a fresh machine.
 */
import { resolve } from 'node:path';
import { COMPONENT_NAMES, type ComponentName } from '../internal/config/config-schema.js';
import { ConfigError } from '../internal/config/config-error.js';
import { generateConfig } from '../internal/config/generate-config.js';
import { loadConfigFile } from '../internal/config/load-config.js';
import { MigrationError } from '../internal/sqlutil/run-migrations.js';
import { generateSigningKey } from '../matrix/signing-key.js';
import { startServer } from '../setup/start-server.js';
import { writeSigningKeyFile } from '../setup/load-signing-key.js';
import { ensureDefaultConfig } from '../setup/ensure-default-config.js';
import { runCreateAccount } from './create-account.js';
import { USAGE, UsageError, parseArgs } from './parse-args.js';

const DEFAULT_CONFIG = 'data/axon.yaml';

async function main(argv: readonly string[]): Promise<number> {
  const { command, options } = parseArgs(argv);
  switch (command) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'generate-config': {
      const overrides: Record<string, unknown> = {};
      if (typeof options.database === 'string') overrides['database.connection_string'] = options.database;
      const serverName = typeof options['server-name'] === 'string' ? options['server-name'] : 'localhost:8008';
      process.stdout.write(generateConfig({ ...overrides, server_name: serverName }));
      return 0;
    }
    case 'generate-keys': {
      if (typeof options.out !== 'string') throw new UsageError('generate-keys needs --out FILE');
      const key = generateSigningKey();
      writeSigningKeyFile(resolve(options.out), key);
      console.log(`wrote ${options.out} (${key.keyId})`);
      return 0;
    }
    case 'create-account':
      return runCreateAccount(options, DEFAULT_CONFIG);
    default:
      return run(options);
  }
}

async function run(options: Readonly<Record<string, string | true>>): Promise<number> {
  const configPath = typeof options.config === 'string' ? options.config : DEFAULT_CONFIG;
  if (options.config === undefined && ensureDefaultConfig(configPath)) {
    console.error(`axon: wrote a new config to ${configPath}`);
  }
  const config = loadConfigFile(configPath);
  const components = typeof options.components === 'string' ? parseComponents(options.components) : undefined;
  const server = await startServer(config, { components });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        server.logger.error({ err: e }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return -1; // keep running
}

function parseComponents(list: string): ComponentName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(COMPONENT_NAMES as readonly string[]).includes(n)) {
      throw new UsageError(`unknown component "${n}" (known: ${COMPONENT_NAMES.join(', ')})`);
    }
  }
  return names as ComponentName[];
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`axon: ${e.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (e instanceof ConfigError || e instanceof MigrationError) {
      console.error(`axon: ${e.message}`);
      process.exitCode = 1;
    } else {
      console.error('axon: failed to start:', e);
      process.exitCode = 1;
    }
  },
);
