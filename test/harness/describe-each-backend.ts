/**
 * Runs one storage suite on SQLite and on a real PostgreSQL. Each `open()` gives a fresh, empty
 * database; all are closed after the suite. PostgreSQL is skipped with a printed reason only when
 * it cannot be started and services are not required.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import type { Database } from '../../src/internal/sqlutil/database.js';
import { openDatabase } from '../../src/internal/sqlutil/open-database.js';
import type { SqlEngine } from '../../src/internal/sqlutil/storage-capabilities.js';
import { postgresUnavailableReason } from './postgres-server.js';
import { servicesRequired, skipReason } from './services-required.js';
import { getTestPostgres } from './test-postgres.js';

export interface BackendContext {
  readonly engine: SqlEngine;
  /** A fresh empty database on this backend. */
  open(): Promise<Database>;
  /** A connection string for a fresh empty database (for code that opens its own). */
  freshConnectionString(): Promise<string>;
}

export function describeEachBackend(name: string, body: (ctx: BackendContext) => void): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const unavailable = engine === 'postgres' ? postgresUnavailableReason() : undefined;
    const skip = unavailable && !servicesRequired() ? skipReason('PostgreSQL', unavailable) : false;
    describe(`${name} [${engine}]`, { skip }, () => {
      const opened: Database[] = [];
      const dirs: string[] = [];
      const freshConnectionString = async () => {
        if (engine === 'sqlite') {
          const dir = mkdtempSync(join(tmpdir(), 'axon-sqlite-'));
          dirs.push(dir);
          return `sqlite:${join(dir, 'test.db')}`;
        }
        return (await getTestPostgres()).createDatabase();
      };
      const ctx: BackendContext = {
        engine,
        freshConnectionString,
        async open() {
          const db = await openDatabase(await freshConnectionString());
          opened.push(db);
          return db;
        },
      };
      body(ctx);
      // Registered after the suite's own hooks so it runs after them: a suite's cleanup (a bus
      // still writing, say) must finish before its databases close.
      after(async () => {
        await Promise.all(opened.map((d) => d.close()));
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      });
    });
  }
}
