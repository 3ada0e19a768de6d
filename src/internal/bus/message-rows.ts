/**
 * Durable messages as rows: the shape both the embedded bus's log and every producer's outbox
 * table store. Turning messages into rows checks topic names, fixes each message's ID (so a
 * repeated relay publishes the same IDs) and serialises payloads once.
 */
import { randomUUID } from 'node:crypto';
import type { BusMessage, TopicSpec } from './bus.js';

/** A durable message ready to store. */
export interface MessageRow {
  readonly topic: string;
  readonly msg_key: string;
  /** The ID consumers dedupe on, fixed when the row is made. */
  readonly msg_id: string;
  /** The payload as JSON text. */
  readonly payload: string;
  /** Milliseconds since the epoch. */
  readonly created_at: number;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]+$/;

/** Throws when a topic's name is not letters, digits, `_` and `-` (as {@link TopicSpec} says). */
export function checkTopic(topic: TopicSpec): void {
  if (!TOPIC_NAME.test(topic.name)) throw new Error(`invalid bus topic name ${JSON.stringify(topic.name)}`);
}

/** Rows for durable messages, each with a new ID; throws on an ephemeral topic. */
export function toMessageRows(messages: readonly BusMessage[], now = Date.now()): MessageRow[] {
  return messages.map((m) => {
    checkTopic(m.topic);
    if (m.topic.ephemeral) throw new Error(`ephemeral topic ${m.topic.name} cannot go through an outbox: publish it directly`);
    // `undefined` has no JSON text; store it as null rather than writing a row that cannot parse.
    return { topic: m.topic.name, msg_key: m.key, msg_id: randomUUID(), payload: JSON.stringify(m.payload) ?? 'null', created_at: now };
  });
}
