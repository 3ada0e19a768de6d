/**
 * The bus implementations the conformance suite runs on: a static list. Each entry makes fresh,
 * isolated namespaces (their own database / stream prefix), can reconnect to one from a child
 * process (for the crash tests), and says why it cannot run where it cannot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bus } from '../../src/internal/bus/bus.js';
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import { openDatabase } from '../../src/internal/sqlutil/open-database.js';
import { postgresUnavailableReason } from '../harness/postgres-server.js';
import { getTestPostgres } from '../harness/test-postgres.js';
import { NATS_BACKEND } from './nats-backend.js';

/** One isolated namespace of a backend. */
export interface BusNamespace {
  /**
   * A new connection to this namespace, as another process would open. Its `close()` also
   * closes whatever the connection opened (database handles, NATS connections).
   */
  open(): Promise<Bus>;
  /** Describes this namespace to a child process, which passes it to {@link BusBackend.connect}. */
  readonly handle: string;
  /**
   * A connection string for a fresh, empty producer database (a component's own database, where
   * its outbox table lives), on the engine that suits this backend.
   */
  freshProducerDatabase(): Promise<string>;
  /** Closes what is still open and removes temporary files. */
  cleanup(): Promise<void>;
}

export interface BusBackend {
  readonly name: string;
  /** The external service it needs (for the skip message), if any. */
  readonly service?: string;
  /** Why this backend cannot run here (undefined when it can). */
  unavailable(): string | undefined;
  /** A fresh, isolated namespace. */
  namespace(): Promise<BusNamespace>;
  /** Opens a bus on the namespace described by `handle` (in a child process). */
  connect(handle: string): Promise<Bus>;
}

/** Embedded buses poll for other connections' messages this often in tests (default 500 ms). */
const TEST_POLL_MS = 100;

/** An embedded bus on its own handle of `conn`; closing the bus closes the handle too. */
async function openEmbedded(conn: string): Promise<Bus> {
  const database = await openDatabase(conn);
  const bus = await createEmbeddedBus({ database, pollIntervalMs: TEST_POLL_MS });
  return {
    ...bus,
    async close() {
      await bus.close();
      await database.close();
    },
  };
}

/** Tracks the buses a namespace opened, so cleanup closes the ones a test left open. */
function tracked(open: () => Promise<Bus>): { open(): Promise<Bus>; closeAll(): Promise<void> } {
  const buses: Bus[] = [];
  return {
    async open() {
      const bus = await open();
      buses.push(bus);
      return bus;
    },
    async closeAll() {
      await Promise.all(buses.map((b) => b.close().catch(() => undefined)));
    },
  };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'axon-bus-'));
}

const embeddedSqlite: BusBackend = {
  name: 'embedded/sqlite',
  unavailable: () => undefined,
  async namespace() {
    const dir = tempDir();
    const conn = `sqlite:${join(dir, 'bus.db')}`;
    const buses = tracked(() => openEmbedded(conn));
    let producers = 0;
    return {
      open: buses.open,
      handle: JSON.stringify({ conn }),
      freshProducerDatabase: async () => `sqlite:${join(dir, `producer-${producers++}.db`)}`,
      async cleanup() {
        await buses.closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  connect: (handle) => openEmbedded((JSON.parse(handle) as { conn: string }).conn),
};

const embeddedPostgres: BusBackend = {
  name: 'embedded/postgres',
  service: 'PostgreSQL',
  unavailable: postgresUnavailableReason,
  async namespace() {
    const pg = await getTestPostgres();
    const conn = await pg.createDatabase('axon_bus');
    const buses = tracked(() => openEmbedded(conn));
    return {
      open: buses.open,
      handle: JSON.stringify({ conn }),
      freshProducerDatabase: () => pg.createDatabase('axon_bus_producer'),
      cleanup: buses.closeAll,
    };
  },
  connect: (handle) => openEmbedded((JSON.parse(handle) as { conn: string }).conn),
};

export const BUS_BACKENDS: readonly BusBackend[] = [
  embeddedSqlite,
  embeddedPostgres,
  // ── NATS JetStream ────────────────────────────────────────────────────────────────────
  // The NATS helper adds its entry here: name 'nats', service 'NATS', unavailable from
  // natsUnavailableReason() (test/harness/nats-server.ts), namespaces as a fresh stream/consumer
  // prefix on AXON_TEST_NATS_URL, connect() through createNatsBus from src/internal/bus/nats/,
  // and freshProducerDatabase() as a temp SQLite file.
  // ──────────────────────────────────────────────────────────────────────────────────────
  NATS_BACKEND,
];

/** The backend called `name` (for child processes, which receive it as an argument). */
export function busBackend(name: string): BusBackend {
  const b = BUS_BACKENDS.find((x) => x.name === name);
  if (!b) throw new Error(`unknown bus backend ${name}`);
  return b;
}
