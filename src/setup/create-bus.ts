/**
 * The bus of a process, from `bus.kind`. The embedded bus keeps its log in the global database,
 * so it only works when one process runs every component; a polylith must share NATS.
 */
import type { Logger } from 'pino';
import type { Bus } from '../internal/bus/bus.js';
import { createEmbeddedBus } from '../internal/bus/embedded/create-embedded-bus.js';
import { ConfigError } from '../internal/config/config-error.js';
import type { LoadedConfig } from '../internal/config/load-config.js';
import type { DatabasePool } from '../internal/sqlutil/database-pool.js';

export interface ProcessBus {
  readonly bus: Bus;
  close(): Promise<void>;
}

export async function createProcessBus(
  config: LoadedConfig,
  databases: DatabasePool,
  polylith: boolean,
  logger: Logger,
): Promise<ProcessBus> {
  switch (config.bus.kind) {
    case 'embedded': {
      if (polylith) {
        throw new ConfigError(
          'invalid config: bus.kind: the embedded bus works only when one process runs every component; ' +
            'set bus.kind: nats (and bus.nats.servers) to run a subset with --components',
          'bus.kind',
        );
      }
      // The global database's shared handle: a second handle on one SQLite file in one process
      // can deadlock (better-sqlite3 waits synchronously for the other's write lock). Components
      // on the same database write their messages straight into the log in their transaction.
      const database = await databases.forComponent('bus');
      const bus = await createEmbeddedBus({ database, logger: logger.child({ bus: 'embedded' }) });
      return { bus, close: () => bus.close() };
    }
    case 'nats': {
      const { servers, prefix, retention_days: days } = config.bus.nats;
      // Loaded only when configured: a monolith on the embedded bus never pays for the NATS client.
      const { createNatsBus } = await import('../internal/bus/nats/create-nats-bus.js');
      const bus = await createNatsBus({ servers, prefix, retentionMs: days * 86_400_000, logger });
      return { bus, close: () => bus.close() };
    }
    case 'kafka':
      throw new ConfigError('invalid config: bus.kind: kafka is not available yet; use embedded or nats', 'bus.kind');
  }
}
