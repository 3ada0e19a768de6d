/**
 * Hands each component its database: the per-component override or the global one. Components
 * that share a connection string share one handle, so a monolith on SQLite has one writer.
 */
import type { ComponentName } from '../config/config-schema.js';
import type { Database } from './database.js';
import { openDatabase } from './open-database.js';

export interface DatabaseSettings {
  readonly connection_string: string;
  readonly max_connections: number;
  readonly components: Partial<Record<ComponentName, { connection_string: string } | undefined>>;
}

export class DatabasePool {
  private readonly open = new Map<string, Promise<Database>>();

  constructor(private readonly settings: DatabaseSettings) {}

  /** The database for `component` (opened on first use). */
  forComponent(component: string): Promise<Database> {
    const conn = this.settings.components[component as ComponentName]?.connection_string ?? this.settings.connection_string;
    let db = this.open.get(conn);
    if (!db) {
      db = openDatabase(conn, { maxConnections: this.settings.max_connections });
      this.open.set(conn, db);
      // A failed open must not be cached, so a later retry can succeed.
      db.catch(() => this.open.delete(conn));
    }
    return db;
  }

  /** Closes every handle opened so far. */
  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close()));
  }
}
