/**
 * The event bus between components (DESIGN §3). Implementations: embedded (a durable log in the
 * database, monolith only) and NATS JetStream; all pass one conformance suite.
 *
 * Guarantees: at-least-once delivery to every durable consumer; order kept per key; a message is
 * acknowledged only after its handler resolves; a handler error means redelivery after a backoff;
 * consumers must be idempotent (use `id`).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../sqlutil/database.js';

/** A topic, declared once by the component that owns it (in its `producers/`). */
export interface TopicSpec {
  /** e.g. `OutputRoomEvent`. Letters, digits, `_` and `-` only. */
  readonly name: string;
  /**
   * Ephemeral topics (typing, presence) may be kept in memory and dropped after `maxAgeMs`;
   * losing them on a crash is acceptable.
   */
  readonly ephemeral?: { readonly maxAgeMs: number };
}

/** A message to publish. `payload` must be JSON-safe (no Buffers, Maps or class instances). */
export interface BusMessage<T = unknown> {
  readonly topic: TopicSpec;
  /** Ordering key: messages with the same key are delivered in publish order (room ID, user ID). */
  readonly key: string;
  readonly payload: T;
}

/** A message as delivered to a consumer. */
export interface DeliveredMessage<T = unknown> {
  /**
   * Unique per published message and stable across redeliveries (and across a repeated relay of
   * the same outbox row): consumers dedupe on it.
   */
  readonly id: string;
  readonly topic: string;
  readonly key: string;
  readonly payload: T;
  /** 1 on first delivery, 2+ on redelivery. */
  readonly deliveryCount: number;
}

export interface SubscribeOptions<T = unknown> {
  readonly topic: TopicSpec;
  /**
   * Durable consumer name (e.g. `syncapi-roomserver`): each name gets every message once
   * acknowledged, and resumes where it stopped after a restart.
   */
  readonly consumer: string;
  /** Resolves to acknowledge; throws to have the message redelivered after a backoff. */
  readonly handler: (msg: DeliveredMessage<T>) => Promise<void>;
  /** Messages handled at once across different keys (same key is always serial). Default 1. */
  readonly concurrency?: number;
}

export interface Subscription {
  /** Stops fetching; resolves when in-flight handlers have finished. */
  stop(): Promise<void>;
}

/**
 * The transactional outbox of a producing component: messages added inside the producer's
 * database transaction are published after it commits, and after a crash at start-up, so a
 * committed state change never loses its message.
 */
export interface Outbox {
  /**
   * Records messages in the producer's transaction (nothing is published yet). Generic so a
   * component's typed `Transaction<ItsTables>` is accepted (it is not assignable to
   * `Transaction<unknown>`). Ephemeral topics are rejected: they need no outbox, publish them
   * with {@link Bus.publish} after the commit.
   */
  add<DB>(trx: Transaction<DB>, messages: readonly BusMessage[]): Promise<void>;
  /** Publishes everything recorded and committed so far. Call after commit. */
  flush(): Promise<void>;
}

export interface Bus {
  /** Publishes directly (no transaction): resolves once the message is durably stored. */
  publish(messages: readonly BusMessage[]): Promise<void>;
  subscribe<T>(opts: SubscribeOptions<T>): Promise<Subscription>;
  /**
   * The outbox for a producer whose state lives in `database` (migrates its outbox table there).
   * `name` identifies the producer (e.g. `roomserver`). Before resolving it relays whatever a
   * previous process committed but did not flush (the crash-after-commit case).
   */
  outbox(database: Database, name: string): Promise<Outbox>;
  /** Problems that make this process unhealthy (e.g. NATS unreachable); empty when fine. */
  problems(): string[];
  /**
   * Stops every subscription (waiting for in-flight handlers and recording their
   * acknowledgements) and closes the connections the bus opened itself; a {@link Database} it
   * was given stays open for its owner to close.
   */
  close(): Promise<void>;
}
