/** Turns published messages into log rows: checks topic names, fixes IDs, serialises payloads. */
import { randomUUID } from 'node:crypto';
import type { BusMessage, TopicSpec } from '../bus.js';
import type { NewLogRow } from './sql-consumer-store.js';

const TOPIC_NAME = /^[A-Za-z0-9_-]+$/;

/** Throws when a topic's name is not letters, digits, `_` and `-` (as {@link TopicSpec} says). */
export function checkTopic(topic: TopicSpec): void {
  if (!TOPIC_NAME.test(topic.name)) throw new Error(`invalid bus topic name ${JSON.stringify(topic.name)}`);
}

/** Log rows for durable messages, each with a new ID; throws on an ephemeral topic. */
export function toLogRows(messages: readonly BusMessage[], now = Date.now()): NewLogRow[] {
  return messages.map((m) => {
    checkTopic(m.topic);
    if (m.topic.ephemeral) throw new Error(`ephemeral topic ${m.topic.name} cannot go through an outbox: publish it directly`);
    // `undefined` has no JSON text; store it as null rather than writing a row that cannot parse.
    return { topic: m.topic.name, msg_key: m.key, msg_id: randomUUID(), payload: JSON.stringify(m.payload) ?? 'null', created_at: now };
  });
}
