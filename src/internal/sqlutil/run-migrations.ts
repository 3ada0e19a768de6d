/**
 * Versioned migrations per component. Each runs in its own transaction together with the row
 * that records it, so a failure leaves the database as it was and a rerun is a no-op. On
 * PostgreSQL an advisory lock keeps two processes starting at once from racing.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.js';
import type { StorageCapabilities } from './storage-capabilities.js';

/** One schema change of one component. */
export interface Migration {
  /** 1, 2, 3 … in order, never reused. */
  readonly version: number;
  /** Short description, recorded with the version. */
  readonly name: string;
  /** Applies the change inside the given transaction. */
  up(db: Transaction<unknown>, caps: StorageCapabilities): Promise<void>;
}

/** A migration failed or the recorded versions do not fit this code; start-up must stop. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

interface MigrationTables {
  axon_migrations: { component: string; version: number; name: string; applied_at: number };
}

/** Applies the migrations of `component` not yet recorded; returns the versions applied. */
export async function runMigrations(
  database: Database,
  component: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  checkOrder(component, migrations);
  const db = database.db as Kysely<MigrationTables>;
  await sql`CREATE TABLE IF NOT EXISTS axon_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    PRIMARY KEY (component, version)
  )`.execute(db);

  const applied: number[] = [];
  const known = new Set(migrations.map((m) => m.version));
  for (const m of migrations) {
    const ran = await db.transaction().execute(async (trx) => {
      if (database.caps.engine === 'postgres') {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`axon_migrations:${component}`}))`.execute(trx);
      }
      const rows = await trx.selectFrom('axon_migrations').select('version').where('component', '=', component).execute();
      const done = new Set(rows.map((r) => r.version));
      const unknown = [...done].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        throw new MigrationError(
          `${component}: the database has migration(s) ${unknown.join(', ')} this server does not know; it was used by a newer Axon`,
        );
      }
      if (done.has(m.version)) return false;
      try {
        await m.up(trx as unknown as Transaction<unknown>, database.caps);
      } catch (e) {
        throw new MigrationError(`${component}: migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, {
          cause: e,
        });
      }
      await trx
        .insertInto('axon_migrations')
        .values({ component, version: m.version, name: m.name, applied_at: Date.now() })
        .execute();
      return true;
    });
    if (ran) applied.push(m.version);
  }
  return applied;
}

function checkOrder(component: string, migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`${component}: migrations must be numbered 1, 2, 3 … in order; found ${m.version} at position ${i + 1}`);
    }
  });
}
