/**
 * The PostgreSQL server a test process uses: the one the test runner started for the whole
 * suite (AXON_TEST_POSTGRES_URL), or, when a file is run on its own, one started for this
 * process (killed when the process exits).
 */
import { postgresAt, startPostgres, type PostgresServer } from './postgres-server.js';

let shared: Promise<PostgresServer> | undefined;

export function getTestPostgres(): Promise<PostgresServer> {
  const url = process.env.AXON_TEST_POSTGRES_URL;
  if (url) return Promise.resolve(postgresAt(url));
  shared ??= startPostgres();
  return shared;
}
