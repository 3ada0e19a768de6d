/**
 * The outbound sender's tables as Kysely sees them (DDL in `queue-migration.ts`). Times are ms
 * since the epoch; JSON is stored as TEXT, exactly as it will be sent.
 */
import type { Generated } from 'kysely';

/** `federationapi_queue_pdus`: one row per PDU still to deliver to one destination. */
export interface QueuePdusTable {
  /** Insertion order: a destination's PDUs go out oldest first. */
  id: Generated<number>;
  destination: string;
  /** The PDU as it goes on the wire. */
  json: string;
}

/**
 * `federationapi_queue_edus`: one row per EDU still to deliver to one destination. Same shape as
 * the PDU queue, so one set of queries serves both.
 */
export interface QueueEdusTable {
  id: Generated<number>;
  destination: string;
  /** The EDU as it goes on the wire: `{edu_type, content}`. */
  json: string;
}

/**
 * `federationapi_destinations`: the health of a destination that has failed. No row means
 * healthy; a success deletes the row.
 */
export interface QueueDestinationsTable {
  server_name: string;
  /** Consecutive failed transactions. */
  failure_count: number;
  /** When the current run of failures began (the blacklist clock). */
  failing_since: number;
  /** Not before this time is the next transaction tried. */
  retry_at: number;
  /** Set once the destination is considered dead: nothing is queued or sent until heard from. */
  blacklisted_at: number | null;
}

/** The sender's tables, for `typedDb`. */
export interface QueueTables {
  federationapi_queue_pdus: QueuePdusTable;
  federationapi_queue_edus: QueueEdusTable;
  federationapi_destinations: QueueDestinationsTable;
}
