/**
 * The NATS bus's transactional outbox: rows in `bus_outbox` (the table module the embedded bus
 * shares) written in the producer's transaction, relayed to JetStream after commit, then deleted.
 * Each row's ID goes out as `Nats-Msg-Id`, so a relay repeated after a crash between publish and
 * delete is stored once by the stream (within its two-minute duplicate window; after that
 * consumers still dedupe on the same `id`).
 *
 * A relay that fails (NATS down) rejects `flush()` and is retried in the background with
 * backoff, so a committed message goes out once NATS is back even if nobody flushes again.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { BusMessage, Outbox } from '../bus.js';
import { deleteOutboxRows, insertOutboxRows, migrateOutboxTable, readOutboxRows } from '../embedded/outbox-table.js';
import type { Database } from '../../sqlutil/database.js';
import { payloadJson } from './message-envelope.js';
import { assertName } from './nats-names.js';
import type { OutgoingMessage } from './publish-messages.js';

/** Rows relayed per round. */
const RELAY_BATCH = 1000;
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 30_000;

/** An outbox the bus can shut down. */
export interface ClosableOutbox extends Outbox {
  /** Stops background retries and waits for a relay in progress. */
  close(): Promise<void>;
}

/**
 * The outbox of producer `name` in `database`. Relays what a previous process committed but did
 * not relay before resolving (or, if NATS is unreachable, keeps retrying in the background).
 */
export async function createNatsOutbox(
  database: Database,
  name: string,
  publish: (messages: readonly OutgoingMessage[]) => Promise<void>,
  logger?: Logger,
): Promise<ClosableOutbox> {
  assertName('outbox', name);
  await migrateOutboxTable(database);

  const relayAll = async () => {
    for (;;) {
      const rows = await readOutboxRows(database, name, RELAY_BATCH);
      if (rows.length === 0) return;
      await publish(rows.map((r) => ({ topic: { name: r.topic }, key: r.msg_key, id: r.msg_id, payloadJson: r.payload })));
      // A crash here relays these rows again with the same IDs: JetStream drops the repeats.
      await deleteOutboxRows(database, rows.map((r) => r.id));
      if (rows.length < RELAY_BATCH) return;
    }
  };

  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = RETRY_INITIAL_MS;
  // One relay at a time; a flush during a relay queues one more (its rows may have committed
  // after the running relay read), shared by every flush that comes meanwhile.
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = undefined;
      return relayAll();
    });
    queued = next;
    tail = next.then(
      () => {
        retryDelay = RETRY_INITIAL_MS;
      },
      (err: unknown) => scheduleRetry(err),
    );
    return next;
  };
  const scheduleRetry = (err: unknown) => {
    if (closed || retryTimer) return;
    logger?.warn({ err, outbox: name, retryInMs: retryDelay }, 'bus: outbox relay to NATS failed; will retry');
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      flush().catch(() => undefined);
    }, retryDelay);
    retryTimer.unref();
    retryDelay = Math.min(RETRY_MAX_MS, retryDelay * 2);
  };

  await flush().catch(() => undefined);
  return {
    async add<DB>(trx: Transaction<DB>, messages: readonly BusMessage[]) {
      const now = Date.now();
      const rows = messages.map((m) => {
        assertName('topic', m.topic.name);
        if (m.topic.ephemeral) throw new TypeError(`ephemeral topic ${m.topic.name} cannot go through an outbox: publish it directly`);
        return { topic: m.topic.name, msg_key: m.key, msg_id: randomUUID(), payload: payloadJson(m.payload), created_at: now };
      });
      await insertOutboxRows(trx, database.caps, name, rows);
    },
    flush,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await tail;
    },
  };
}
