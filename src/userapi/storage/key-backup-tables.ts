/**
 * The key-backup tables as Kysely sees them (`key-backup-migration.ts` creates them). A user's
 * backup versions are numbered per user, 1, 2, 3 …, never reused: a deleted version keeps its
 * row (flagged) so the next one gets a higher number and a client still holding the old number
 * cannot write into a new backup by accident.
 */

/** One backup version of a user (`POST /room_keys/version`). */
export interface KeyBackupVersionsTable {
  localpart: string;
  /** The version number; handed to clients as a decimal string. */
  version: number;
  algorithm: string;
  /** The `auth_data` object as JSON text; the server never interprets it. */
  auth_data: string;
  /** Bumped whenever the version's keys change; handed to clients as a decimal string. */
  etag: number;
  /** 1 once deleted: the version is gone for clients, its number stays taken. */
  deleted: number;
}

/** One backed-up megolm session key. */
export interface KeyBackupKeysTable {
  localpart: string;
  version: number;
  room_id: string;
  session_id: string;
  first_message_index: number;
  forwarded_count: number;
  /** 0/1. */
  is_verified: number;
  /** The encrypted `session_data` object as JSON text. */
  session_data: string;
}
