/**
 * A real Axon monolith in this process for tests and benchmarks: `startServer` with every
 * component, port-0 listeners on 127.0.0.1, a temporary SQLite database, open registration, no
 * rate limiting and silent logs. Suites that need more (a shared secret, guests, tokens) pass
 * config overrides; `stop()` shuts the server down and deletes its directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Bus } from '../../src/internal/bus/bus.js';
import { configFromObject } from '../../src/internal/config/load-config.js';
import type { ComponentDefinition } from '../../src/setup/component.js';
import { DEFAULT_COMPONENTS } from '../../src/setup/default-components.js';
import { startServer, type RunningServer } from '../../src/setup/start-server.js';

/** The server name test monoliths use unless overridden. */
export const TEST_SERVER_NAME = 'hs.test';

/** A running test monolith. */
export interface TestMonolith {
  /** Base URL of the client listener, e.g. `http://127.0.0.1:41234` (what `createClient` takes). */
  readonly baseUrl: string;
  /** The server itself: its config, component APIs (`server.api('userapi')`) and URLs. */
  readonly server: RunningServer;
  /** The temporary directory holding its database, signing key and media. */
  readonly dir: string;
  /** The process's bus, so a test can subscribe to the topics the components publish. */
  readonly bus: Bus;
  /** Stops the server and deletes its directory. */
  stop(): Promise<void>;
}

/** What else a test may choose about the monolith. */
export interface TestMonolithOptions {
  /** The components to run (default: {@link DEFAULT_COMPONENTS}), e.g. one built with test choices. */
  readonly registry?: readonly ComponentDefinition[];
}

/**
 * Starts a monolith. `overrides` are merged into the config; a top-level key replaces the
 * default's whole section (pass all of `registration`, not one field of it).
 */
export async function startTestMonolith(overrides: Record<string, unknown> = {}, options: TestMonolithOptions = {}): Promise<TestMonolith> {
  const dir = mkdtempSync(join(tmpdir(), 'axon-test-'));
  try {
    const config = configFromObject({
      server_name: TEST_SERVER_NAME,
      signing_key_path: join(dir, 'signing.key'),
      listen: { client: { host: '127.0.0.1', port: 0 }, internal: { host: '127.0.0.1', port: 0 } },
      database: { connection_string: `sqlite:${join(dir, 'axon.db')}` },
      media: { path: join(dir, 'media') },
      registration: { enabled: true },
      rate_limiting: { enabled: false },
      metrics: { enabled: false },
      logging: { level: 'silent' },
      ...overrides,
    });
    // A component that does nothing but hand out the bus the real components were given.
    let bus: Bus | undefined;
    const busTap: ComponentDefinition = {
      name: 'test-bus-tap',
      start: async (ctx) => {
        bus = ctx.bus;
        return { publicRoutes: [], stop: async () => {} };
      },
    };
    const server = await startServer(config, { logger: pino({ level: 'silent' }), registry: [...(options.registry ?? DEFAULT_COMPONENTS), busTap] });
    if (!bus) throw new Error('the test bus tap was not started');
    return {
      baseUrl: server.urls.client,
      server,
      dir,
      bus,
      stop: async () => {
        try {
          await server.stop();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
