/**
 * The durable log's queries: appending messages and a durable consumer's reads and position
 * writes. Written once for SQLite and PostgreSQL; the one genuine difference (how far a reader
 * may safely read) comes from `readHorizon`.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../sqlutil/database.js';
import type { StorageCapabilities } from '../../sqlutil/storage-capabilities.js';
import type { MessageRow } from '../message-rows.js';
import { preparedQuery, type QueryTarget } from '../../sqlutil/prepared-query.js';
import { readHorizon, type BusTables } from './bus-tables.js';
import type { ConsumerState, ConsumerStore, Position, StoredMessage } from './consumer-store.js';

/** A message ready to be appended to `bus_log`. */
export type NewLogRow = MessageRow;

/** Rows per INSERT: bounded by the engine's bind-parameter limit and a sane statement size. */
function rowsPerStatement(caps: StorageCapabilities, columns: number): number {
  return Math.max(1, Math.min(CHUNK_ROWS, Math.floor(caps.maxBindParams / columns)));
}

/** Rows per INSERT at most; also the publish batcher's batch size. */
export const CHUNK_ROWS = 500;
const LOG_COLUMNS = ['topic', 'msg_key', 'msg_id', 'payload', 'created_at'] as const;

/**
 * INSERTs compiled once per engine and row count, for full-size statements and for the small
 * ones a producer's transaction adds (a message send appends one row): building and compiling
 * the statement costs about as much as executing it.
 */
const compiledInserts = new Map<string, CompiledQuery>();
/** Row counts below this are compiled once too; larger odd sizes are rare (the tail of a batch). */
const SMALL_ROWS = 16;

function insertStatement(db: Kysely<BusTables>, caps: StorageCapabilities, rows: readonly NewLogRow[], full: number): CompiledQuery {
  const n = rows.length;
  if (n !== full && n >= SMALL_ROWS) return db.insertInto('bus_log').values(rows).compile();
  const cacheKey = `${caps.engine}:${n}`;
  let q = compiledInserts.get(cacheKey);
  if (!q) {
    // Kysely binds values row by row in the column order of the first row: LOG_COLUMNS' order.
    const template: NewLogRow = { topic: '', msg_key: '', msg_id: '', payload: '', created_at: 0 };
    compiledInserts.set(cacheKey, (q = db.insertInto('bus_log').values(new Array<NewLogRow>(n).fill(template)).compile()));
  }
  const parameters: unknown[] = [];
  for (const r of rows) for (const c of LOG_COLUMNS) parameters.push(r[c]);
  return CompiledQuery.raw(q.sql, parameters);
}

/**
 * Appends rows to the log in the caller's transaction, or in one statement when they fit (a
 * single statement is atomic by itself, so the common case costs one round trip).
 */
export async function insertLogRows(
  db: Kysely<BusTables> | Transaction<BusTables>,
  caps: StorageCapabilities,
  rows: readonly NewLogRow[],
): Promise<void> {
  const size = rowsPerStatement(caps, LOG_COLUMNS.length);
  if (rows.length <= size || db.isTransaction) {
    for (let i = 0; i < rows.length; i += size) {
      await db.executeQuery(insertStatement(db, caps, rows.slice(i, i + size), size));
    }
    return;
  }
  await db.transaction().execute((trx) => insertLogRows(trx, caps, rows));
}

/** The {@link ConsumerStore} of durable consumer `consumer` of `topic` in the bus database. */
export function sqlConsumerStore(database: Database, topic: string, consumer: string): ConsumerStore {
  const db = database.db as Kysely<BusTables>;
  const caps = database.caps;
  const pendingChunk = rowsPerStatement(caps, 3);
  // Outside a transaction: on the SQLite handle while no transaction holds it (prepared-query.ts).
  const target: QueryTarget = { db, caps, sqliteAutocommit: database.sqlite };
  const reads = sharedReads(database, topic);

  return {
    async open(): Promise<ConsumerState> {
      await db
        .insertInto('bus_consumers')
        .values({ topic, consumer, pos_xid: 0, pos_seq: 0, updated_at: Date.now() })
        .onConflict((oc) => oc.columns(['topic', 'consumer']).doNothing())
        .execute();
      const row = await db
        .selectFrom('bus_consumers')
        .select(['pos_xid', 'pos_seq'])
        .where('topic', '=', topic)
        .where('consumer', '=', consumer)
        .executeTakeFirstOrThrow();
      const pending = await db
        .selectFrom('bus_pending as p')
        .innerJoin('bus_log as l', 'l.seq', 'p.seq')
        .select(['l.seq', 'l.xid', 'l.msg_key', 'l.msg_id', 'l.payload'])
        .where('p.topic', '=', topic)
        .where('p.consumer', '=', consumer)
        .orderBy('l.xid')
        .orderBy('l.seq')
        .execute();
      return { position: { xid: row.pos_xid, seq: row.pos_seq }, pending: pending.map(toStored) };
    },

    async fetch(after: Position, limit: number) {
      const rows = await reads.fetch(target, after, limit);
      const messages: StoredMessage[] = [];
      for (const r of rows.length > limit ? rows.slice(0, limit) : rows) {
        // Rows are in xid order, so the first one past the horizon ends what is safe to read.
        if (r.xid >= r.horizon) return { messages, limited: true };
        messages.push(toStored(r));
      }
      return { messages, limited: false };
    },

    async save(position: Position, addPending: readonly number[], removePending: readonly number[]) {
      const update = (q: Kysely<BusTables>) =>
        savePositionQuery.run(q === db ? target : { db: q, caps }, { topic, consumer, xid: position.xid, seq: position.seq, now: Date.now() });
      if (addPending.length === 0 && removePending.length === 0) {
        await update(db);
        return;
      }
      await db.transaction().execute(async (trx) => {
        await update(trx);
        for (let i = 0; i < addPending.length; i += pendingChunk) {
          const seqs = addPending.slice(i, i + pendingChunk);
          await trx
            .insertInto('bus_pending')
            .values(seqs.map((seq) => ({ topic, consumer, seq })))
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        for (let i = 0; i < removePending.length; i += pendingChunk) {
          await trx
            .deleteFrom('bus_pending')
            .where('topic', '=', topic)
            .where('consumer', '=', consumer)
            .where('seq', 'in', removePending.slice(i, i + pendingChunk))
            .execute();
        }
      });
    },
  };
}

/** A row of {@link fetchQuery}. */
type LogRow = { seq: number; xid: number; msg_key: string; msg_id: string; payload: string; horizon: number };

/** A read of a topic's log not yet sent to the database, which other consumers may join. */
interface SharedRead {
  readonly after: Position;
  limit: number;
  started: boolean;
  readonly rows: Promise<LogRow[]>;
}

/** Each topic's open {@link SharedRead}, per bus database. */
const openReads = new WeakMap<Database, Map<string, SharedRead | undefined>>();

/**
 * The reads of one topic's log, shared by its consumers. A publish wakes every consumer of the
 * topic in the same turn and each reads after the same position: one query serves them all. A
 * read joins another only before that one has run its query (the query starts a microtask
 * later), so its rows are never older than a read of its own would have been. Each consumer
 * parses the payloads itself: handlers never share an object.
 */
function sharedReads(database: Database, topic: string): { fetch(target: QueryTarget, after: Position, limit: number): Promise<LogRow[]> } {
  let byTopic = openReads.get(database);
  if (!byTopic) openReads.set(database, (byTopic = new Map()));
  const open = byTopic;
  return {
    fetch(target, after, limit) {
      const joined = open.get(topic);
      if (joined && !joined.started && joined.after.xid === after.xid && joined.after.seq === after.seq) {
        joined.limit = Math.max(joined.limit, limit);
        return joined.rows;
      }
      const read: SharedRead = {
        after,
        limit,
        started: false,
        rows: Promise.resolve().then(() => {
          read.started = true;
          if (open.get(topic) === read) open.delete(topic);
          return fetchQuery.all(target, { topic, xid: after.xid, seq: after.seq, limit: read.limit });
        }),
      };
      open.set(topic, read);
      return read.rows;
    },
  };
}

// Every delivered message costs one fetch (shared by the topic's consumers) and one position write per consumer: prepared.
const fetchQuery = preparedQuery((db: Kysely<BusTables>, p: { topic: string; xid: number; seq: number; limit: number }, caps) =>
  db
    .selectFrom('bus_log')
    .select(['seq', 'xid', 'msg_key', 'msg_id', 'payload'])
    .select(readHorizon(caps).as('horizon'))
    .where('topic', '=', p.topic)
    .where((eb) =>
      // With one writer at a time every xid is 0 and the rest of "transaction 0" is all
      // there is: an index range on (topic, 0, seq). SQLite would not seek on the general
      // row-value form below (it scans from the topic's first row); PostgreSQL does.
      caps.concurrentWriters
        ? eb(eb.refTuple('xid', 'seq'), '>', eb.tuple(p.xid, p.seq))
        : eb.and([eb('xid', '=', p.xid), eb('seq', '>', p.seq)]),
    )
    .orderBy('xid')
    .orderBy('seq')
    .limit(p.limit),
);

const savePositionQuery = preparedQuery(
  (db: Kysely<BusTables>, p: { topic: string; consumer: string; xid: number; seq: number; now: number }) =>
    db
      .updateTable('bus_consumers')
      .set({ pos_xid: p.xid, pos_seq: p.seq, updated_at: p.now })
      .where('topic', '=', p.topic)
      .where('consumer', '=', p.consumer),
);

function toStored(r: { seq: number; xid: number; msg_key: string; msg_id: string; payload: string }): StoredMessage {
  return { seq: r.seq, xid: r.xid, key: r.msg_key, id: r.msg_id, payload: JSON.parse(r.payload) as unknown };
}
