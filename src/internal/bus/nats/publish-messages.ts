/**
 * Publishes bus messages to their topics' streams, all in flight at once (one connection keeps
 * them in order, so per-key order holds), resolving when every one is stored. A topic whose
 * stream vanished (a memory stream after a server restart) is created again and its messages
 * are sent once more; `Nats-Msg-Id` makes that safe.
 */
import type { TopicSpec } from '../bus.js';
import { NoStreamError, type AsyncPublisher } from './async-publisher.js';
import { encodeEnvelope } from './message-envelope.js';
import type { TopicStreams } from './topic-streams.js';

/** A message ready to send: its ID is fixed (by the outbox row, or at publish time). */
export interface OutgoingMessage {
  readonly topic: TopicSpec;
  readonly key: string;
  readonly id: string;
  /** The payload as JSON text. */
  readonly payloadJson: string;
}

export async function publishMessages(
  publisher: AsyncPublisher,
  streams: TopicStreams,
  messages: readonly OutgoingMessage[],
): Promise<void> {
  const lost = await sendAll(publisher, streams, messages);
  if (lost.length === 0) return;
  for (const m of lost) streams.forget(m.topic);
  const again = await sendAll(publisher, streams, lost);
  if (again.length > 0) throw new NoStreamError(`no stream stores topic ${again[0]?.topic.name}`);
}

/** Sends `messages`; returns those no stream took. Any other failure throws. */
async function sendAll(
  publisher: AsyncPublisher,
  streams: TopicStreams,
  messages: readonly OutgoingMessage[],
): Promise<OutgoingMessage[]> {
  const byTopic = new Map<string, TopicSpec>();
  for (const m of messages) byTopic.set(m.topic.name, m.topic);
  const names = new Map(await Promise.all([...byTopic.values()].map(async (t) => [t.name, await streams.ensure(t)] as const)));
  const results = await Promise.allSettled(
    messages.map((m) => publisher.publish(names.get(m.topic.name)!.subject(m.key), encodeEnvelope(m.id, m.key, m.payloadJson), m.id)),
  );
  const lost: OutgoingMessage[] = [];
  let failure: unknown;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') return;
    if (r.reason instanceof NoStreamError) lost.push(messages[i]!);
    else failure ??= r.reason;
  });
  if (failure !== undefined) throw failure;
  return lost;
}
