/**
 * What a consumer's dispatcher needs from where a topic's messages live: the database log for
 * durable topics, memory for ephemeral ones. The dispatcher never sees SQL.
 */

/** A place in a topic's log; messages are ordered by `(xid, seq)` (see `bus-tables.ts`). */
export interface Position {
  readonly xid: number;
  readonly seq: number;
}

/** The start of every log: before the first message. */
export const LOG_START: Position = { xid: 0, seq: 0 };

/** A message read back from a log. */
export interface StoredMessage {
  readonly seq: number;
  readonly xid: number;
  readonly key: string;
  readonly id: string;
  /** Already parsed from JSON. */
  readonly payload: unknown;
}

/** The state of one durable consumer of one topic, as stored. */
export interface ConsumerState {
  /** Everything at or before this position is acknowledged, except `pending`. */
  readonly position: Position;
  /** Unacknowledged messages at or before `position`, in log order. */
  readonly pending: readonly StoredMessage[];
}

/** One consumer's view of one topic's log. */
export interface ConsumerStore {
  /** Creates the consumer if new (at {@link LOG_START}) and returns its stored state. */
  open(): Promise<ConsumerState>;
  /**
   * Up to `limit` messages after `after`, in log order. `limited` is true when messages exist
   * that cannot be read yet because an older transaction is still running: read again soon.
   */
  fetch(after: Position, limit: number): Promise<{ messages: StoredMessage[]; limited: boolean }>;
  /**
   * Records a new position and the changes to the pending set, atomically: `addPending` are
   * message seqs at or before `position` that are not acknowledged, `removePending` those
   * acknowledged since.
   */
  save(position: Position, addPending: readonly number[], removePending: readonly number[]): Promise<void>;
}

/** Whether `a` comes before `b` in log order. */
export function isBefore(a: Position, b: Position): boolean {
  return a.xid < b.xid || (a.xid === b.xid && a.seq < b.seq);
}
