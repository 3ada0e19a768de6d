/**
 * What differs between the two SQL engines, as flags. Table code asks a flag instead of testing
 * the engine name, so a difference is stated once and the shared query stays shared.
 */
export type SqlEngine = 'sqlite' | 'postgres';

export interface StorageCapabilities {
  readonly engine: SqlEngine;
  /** Full-text search flavour: SQLite FTS5 virtual tables or PostgreSQL tsvector/GIN. */
  readonly fullText: 'fts5' | 'tsvector';
  /** Most bind parameters one statement may carry; chunk `IN (…)` lists and bulk inserts below it. */
  readonly maxBindParams: number;
  /** Whether several writers can commit at once (PostgreSQL) or writes are serialised (SQLite). */
  readonly concurrentWriters: boolean;
  /** SQL type for auto-incrementing 64-bit keys in DDL. */
  readonly autoIncrementPk: string;
  /** SQL type for binary blobs in DDL. */
  readonly blobType: string;
  /**
   * Table option storing rows in their primary key's B-tree (SQLite `WITHOUT ROWID`), for tables
   * whose key is the whole point: one B-tree written per insert instead of a table and an index.
   * Empty on PostgreSQL, whose tables are always a heap plus the key's index.
   */
  readonly clusteredPrimaryKey: string;
}

export const SQLITE_CAPABILITIES: StorageCapabilities = {
  engine: 'sqlite',
  fullText: 'fts5',
  maxBindParams: 32_000,
  concurrentWriters: false,
  autoIncrementPk: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  blobType: 'BLOB',
  clusteredPrimaryKey: 'WITHOUT ROWID',
};

export const POSTGRES_CAPABILITIES: StorageCapabilities = {
  engine: 'postgres',
  fullText: 'tsvector',
  maxBindParams: 65_000,
  concurrentWriters: true,
  autoIncrementPk: 'BIGSERIAL PRIMARY KEY',
  blobType: 'BYTEA',
  clusteredPrimaryKey: '',
};
