/**
 * The embedded bus (DESIGN §3): a durable log in a database (`bus_*` tables), for a monolith.
 * Publishes in this process wake the subscribers at once; a slow poll notices publishes by
 * other processes sharing the database. Ephemeral topics stay in memory.
 *
 * One process at a time should run a given durable consumer: two would each receive every
 * message and overwrite each other's position (work sharing across processes is NATS's job).
 */
import { pino, type Logger } from 'pino';
import type { Kysely } from 'kysely';
import type { Bus, BusMessage, Outbox, SubscribeOptions, Subscription, TopicSpec } from '../bus.js';
import { checkTopic, toMessageRows } from '../message-rows.js';
import type { RelayOutbox } from '../relay-outbox.js';
import type { Database } from '../../sqlutil/database.js';
import { runMigrations } from '../../sqlutil/run-migrations.js';
import { BUS_MIGRATIONS, type BusTables } from './bus-tables.js';
import { startDispatcher, type Dispatcher, type RetryPolicy } from './consumer-dispatcher.js';
import { createDirectOutbox, createLogRelayOutbox, isSameDatabase, type LogWriter } from './embedded-outbox.js';
import { createMemoryTopic, type MemoryTopic } from './memory-topic.js';
import { startBackgroundWork } from './background-work.js';
import { createPublishBatcher } from './publish-batcher.js';
import { CHUNK_ROWS, insertLogRows, sqlConsumerStore, type NewLogRow } from './sql-consumer-store.js';

/** What {@link createEmbeddedBus} needs; only `database` is required. */
export interface EmbeddedBusOptions {
  /** Where the log lives; the bus migrates its tables there. Not closed by the bus. */
  readonly database: Database;
  /** Handler failures (warn) and database errors (error); silent by default. */
  readonly logger?: Logger;
  /** How often to look for messages published by other processes. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** How often to delete messages every consumer has acknowledged. Default 1 s. */
  readonly pruneIntervalMs?: number;
  /** How long messages of topics nobody consumes are kept. Default 24 h. */
  readonly retentionMs?: number;
  /** Redelivery backoff after a handler error. Default 100 ms doubling up to 30 s. */
  readonly retry?: RetryPolicy;
}

/** Migrates the bus tables and returns a running embedded bus. */
export async function createEmbeddedBus(opts: EmbeddedBusOptions): Promise<Bus> {
  const { database } = opts;
  const logger = opts.logger ?? pino({ level: 'silent' });
  const retry = opts.retry ?? { initialMs: 100, maxMs: 30_000 };
  const retentionMs = opts.retentionMs ?? 24 * 3600_000;
  await runMigrations(database, 'bus', BUS_MIGRATIONS);
  const db = database.db as Kysely<BusTables>;

  const byTopic = new Map<string, Set<Dispatcher>>(); // wake-up lists, by topic
  const all = new Map<string, Dispatcher>(); // by topic and consumer
  const memoryTopics = new Map<string, MemoryTopic>();
  const problems = new Map<string, string>();
  const relays = new Set<RelayOutbox>();
  let closed = false;

  const wake = (topics: Iterable<string>) => {
    for (const t of topics) for (const d of byTopic.get(t) ?? []) d.wake();
  };
  // Our own write transactions are what most often holds readers at the horizon (see
  // `readHorizon`): when one commits, readers waiting there look again at once.
  const committed = () => {
    for (const d of all.values()) d.retryIfLimited();
  };
  const batcher = createPublishBatcher<NewLogRow>(async (rows) => {
    await insertLogRows(db, database.caps, rows);
    wake(new Set(rows.map((r) => r.topic)));
    committed();
  }, CHUNK_ROWS);
  const log: LogWriter = { database, append: (rows) => batcher.enqueue(rows), wake };

  const memoryTopic = (spec: TopicSpec & { ephemeral: { maxAgeMs: number } }) => {
    let t = memoryTopics.get(spec.name);
    if (!t) memoryTopics.set(spec.name, (t = createMemoryTopic(spec.ephemeral.maxAgeMs)));
    return t;
  };

  const timers = startBackgroundWork({
    database,
    pollIntervalMs: opts.pollIntervalMs ?? 500,
    pruneIntervalMs: opts.pruneIntervalMs ?? 1000,
    retentionMs,
    logger,
    problems,
    wakeAll: () => wake(byTopic.keys()),
  });

  const publish = async (messages: readonly BusMessage[]) => {
    if (closed) throw new Error('the bus is closed');
    const durableMsgs: BusMessage[] = [];
    for (const m of messages) {
      checkTopic(m.topic);
      if (!m.topic.ephemeral) durableMsgs.push(m);
    }
    for (const m of messages) {
      if (!m.topic.ephemeral) continue;
      // Through JSON like durable payloads, so consumers never share an object with the producer.
      const payload = JSON.parse(JSON.stringify(m.payload) ?? 'null') as unknown;
      memoryTopic({ ...m.topic, ephemeral: m.topic.ephemeral }).append([{ key: m.key, payload }]);
      for (const d of byTopic.get(memoryKey(m.topic.name)) ?? []) d.wake();
    }
    if (durableMsgs.length > 0) await log.append(toMessageRows(durableMsgs));
  };

  const subscribe = async <T>(sub: SubscribeOptions<T>): Promise<Subscription> => {
    if (closed) throw new Error('the bus is closed');
    checkTopic(sub.topic);
    const concurrency = sub.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`invalid concurrency ${concurrency}`);
    const id = `${sub.topic.name}\u0000${sub.consumer}`;
    if (all.has(id)) throw new Error(`consumer ${sub.consumer} of ${sub.topic.name} is already subscribed in this process`);
    const eph = sub.topic.ephemeral;
    const store = eph
      ? memoryTopic({ ...sub.topic, ephemeral: eph }).consumerStore(sub.consumer)
      : sqlConsumerStore(database, sub.topic.name, sub.consumer);
    const wakeKey = eph ? memoryKey(sub.topic.name) : sub.topic.name;
    const handler = sub.handler as SubscribeOptions['handler'];
    const onCommit = eph ? () => undefined : committed;
    const d = await startDispatcher({ topic: sub.topic.name, consumer: sub.consumer, store, handler, concurrency, retry, logger, onCommit });
    all.set(id, d);
    let set = byTopic.get(wakeKey);
    if (!set) byTopic.set(wakeKey, (set = new Set()));
    set.add(d);
    return {
      async stop() {
        set.delete(d);
        all.delete(id);
        await d.stop();
      },
    };
  };

  return {
    publish,
    subscribe,
    async outbox(producerDb: Database, name: string): Promise<Outbox> {
      if (closed) throw new Error('the bus is closed');
      if (isSameDatabase(producerDb, database)) return createDirectOutbox(log);
      const outbox = await createLogRelayOutbox(producerDb, name, log, logger);
      relays.add(outbox);
      return outbox;
    },
    problems() {
      const out = [...problems.values()];
      for (const d of all.values()) {
        const p = d.problem();
        if (p) out.push(p);
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      timers.stop();
      const ds = [...all.values()];
      all.clear();
      byTopic.clear();
      await Promise.all(ds.map((d) => d.stop()));
      await Promise.all([...relays].map((r) => r.close()));
      await batcher.idle();
      await timers.idle();
    },
  };
}

/** Ephemeral topics' wake-up keys cannot collide with durable topic names (which lack `:`). */
function memoryKey(topic: string): string {
  return `memory:${topic}`;
}
