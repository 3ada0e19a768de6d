/**
 * The bus of a process, from `bus.kind`. The embedded bus keeps its log in the global database,
 * so it only works when one process runs every component; a polylith must share NATS.
 */
import type { Logger } from 'pino';
import type { Bus } from '../internal/bus/bus.js';
import { createEmbeddedBus } from '../internal/bus/embedded/create-embedded-bus.js';
import { createNatsBus } from '../internal/bus/nats/create-nats-bus.js';
import { ConfigError } from '../internal/config/config-error.js';
import type { LoadedConfig } from '../internal/config/load-config.js';
import { openDatabase } from '../internal/sqlutil/open-database.js';
import type { Database } from '../internal/sqlutil/database.js';

export interface ProcessBus {
  readonly bus: Bus;
  close(): Promise<void>;
}

export async function createProcessBus(config: LoadedConfig, polylith: boolean, logger: Logger): Promise<ProcessBus> {
  switch (config.bus.kind) {
    case 'embedded': {
      if (polylith) {
        throw new ConfigError(
          'invalid config: bus.kind: the embedded bus works only when one process runs every component; ' +
            'set bus.kind: nats (and bus.nats.servers) to run a subset with --components',
          'bus.kind',
        );
      }
      // Its own handle on the global database, so its batched writes never queue behind a
      // component's long transaction on a shared SQLite connection.
      const database: Database = await openDatabase(config.database.connection_string, {
        maxConnections: config.database.max_connections,
      });
      const bus = await createEmbeddedBus({ database, logger: logger.child({ bus: 'embedded' }) });
      return { bus, close: async () => (await bus.close(), await database.close()) };
    }
    case 'nats': {
      const bus = await createNatsBus({ servers: config.bus.nats.servers, prefix: config.bus.nats.prefix, logger: logger.child({ bus: 'nats' }) });
      return { bus, close: () => bus.close() };
    }
    case 'kafka':
      throw new ConfigError('invalid config: bus.kind: kafka is not available yet; use embedded or nats', 'bus.kind');
  }
}
