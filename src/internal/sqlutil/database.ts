/**
 * An open database: a Kysely instance plus the engine's capability flags. Components receive one
 * and type it with their own table interfaces (`database.db.withTables<T>()` is not needed:
 * `as Kysely<T>` through {@link typedDb}).
 */
import type { Kysely } from 'kysely';
import type { SqliteStatementSource } from './prepared-query.js';
import type { StorageCapabilities } from './storage-capabilities.js';

export interface Database {
  /** The query builder; untyped here, narrowed per component with {@link typedDb}. */
  readonly db: Kysely<unknown>;
  readonly caps: StorageCapabilities;
  /** The connection string it was opened with (may contain a password: never log it). */
  readonly connectionString: string;
  /**
   * SQLite only: the connection's handle, for prepared queries run while a transaction holds
   * the connection (`prepared-query.ts`). Never use it outside one: another flow's transaction
   * may be open on the same connection.
   */
  readonly sqlite?: SqliteStatementSource;
  /** Closes the pool/handle. Safe to call twice. */
  close(): Promise<void>;
}

/** The component's typed view of a shared database. */
export function typedDb<T>(database: Database): Kysely<T> {
  return database.db as unknown as Kysely<T>;
}
