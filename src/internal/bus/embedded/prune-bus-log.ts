/**
 * Deletes log rows nobody needs any more, so the log stays about as small as the consumers'
 * backlog: rows every durable consumer of their topic has moved past (and none holds pending),
 * and rows of topics without any consumer once older than the retention period.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../../sqlutil/database.js';
import type { BusTables } from './bus-tables.js';
import { isBefore, type Position } from './consumer-store.js';

/** What {@link pruneBusLog} may delete. */
export interface PruneOptions {
  /** Also expire rows of topics nobody consumes that are older than `retentionMs`. */
  readonly expireUnconsumed: boolean;
  readonly retentionMs: number;
  /**
   * Rows per DELETE. Small, and the loop yields between statements, so live publishes and
   * reads queued for the connection wait one short statement, not a whole backlog's deletion.
   */
  readonly batch?: number;
}

/** Prunes the bus log; returns how many rows were deleted. */
export async function pruneBusLog(database: Database, opts: PruneOptions): Promise<number> {
  const db = database.db as Kysely<BusTables>;
  const batch = opts.batch ?? 256;
  const consumers = await db.selectFrom('bus_consumers').select(['topic', 'pos_xid', 'pos_seq']).execute();
  const slowest = new Map<string, Position>();
  for (const c of consumers) {
    const p = { xid: c.pos_xid, seq: c.pos_seq };
    const cur = slowest.get(c.topic);
    if (!cur || isBefore(p, cur)) slowest.set(c.topic, p);
  }
  let deleted = 0;
  for (const [topic, upTo] of slowest) {
    if (upTo.seq === 0) continue;
    // Two index ranges (see `fetch` in sql-consumer-store.ts for why not a row-value comparison).
    deleted += await deleteRange(db, topic, batch, (q) => q.where('xid', '=', upTo.xid).where('seq', '<=', upTo.seq));
    deleted += await deleteRange(db, topic, batch, (q) => q.where('xid', '<', upTo.xid));
  }
  if (opts.expireUnconsumed) deleted += await expireUnconsumed(db, [...slowest.keys()], Date.now() - opts.retentionMs, batch);
  return deleted;
}

type LogSelect = SelectQueryBuilder<BusTables, 'bus_log', { seq: number }>;

/** Deletes, in batches, the rows of `topic` that `range` selects and no consumer holds pending. */
async function deleteRange(db: Kysely<BusTables>, topic: string, batch: number, range: (q: LogSelect) => LogSelect): Promise<number> {
  let deleted = 0;
  for (;;) {
    const res = await db
      .deleteFrom('bus_log')
      .where('seq', 'in', (eb) =>
        range(eb.selectFrom('bus_log').select('seq').where('topic', '=', topic))
          .where('seq', 'not in', eb.selectFrom('bus_pending').select('seq').where('topic', '=', topic))
          .orderBy('xid')
          .orderBy('seq')
          .limit(batch),
      )
      .executeTakeFirst();
    const n = Number(res.numDeletedRows);
    deleted += n;
    if (n < batch) return deleted;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Deletes rows older than `cutoff` of topics not in `consumed`. */
async function expireUnconsumed(db: Kysely<BusTables>, consumed: string[], cutoff: number, batch: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const res = await db
      .deleteFrom('bus_log')
      .where('seq', 'in', (eb) => {
        let q = eb.selectFrom('bus_log').select('seq').where('created_at', '<', cutoff);
        if (consumed.length > 0) q = q.where('topic', 'not in', consumed);
        return q.orderBy('seq').limit(batch);
      })
      .executeTakeFirst();
    const n = Number(res.numDeletedRows);
    deleted += n;
    if (n < batch) return deleted;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
