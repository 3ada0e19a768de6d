/** Small helpers shared by the bus conformance suites. */
import type { BusMessage, DeliveredMessage, TopicSpec } from '../../src/internal/bus/bus.js';

/** The payload the suites publish: which key and the message's number within the test. */
export interface TestPayload {
  readonly key: string;
  readonly n: number;
}

/** A topic name unique to one test, so tests never see each other's messages. */
export function testTopic(label: string, ephemeral?: TopicSpec['ephemeral']): TopicSpec {
  const name = `${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  return ephemeral ? { name, ephemeral } : { name };
}

/**
 * `count` messages numbered from `from`, spread round-robin over `keys` keys: a key's messages
 * are interleaved with the others', and within a key `n` grows in publish order.
 */
export function numbered(topic: TopicSpec, count: number, keys: number, from = 0): BusMessage<TestPayload>[] {
  return Array.from({ length: count }, (_, i) => {
    const key = `k${(from + i) % keys}`;
    return { topic, key, payload: { key, n: from + i } };
  });
}

/** Resolves when `check()` holds, polling every 10 ms; rejects with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Groups delivered payloads' numbers by key, in delivery order. */
export function byKey(msgs: readonly DeliveredMessage<TestPayload>[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of msgs) {
    let list = out.get(m.key);
    if (!list) out.set(m.key, (list = []));
    list.push(m.payload.n);
  }
  return out;
}

/** The numbers a key gets among `count` messages from `from` spread over `keys` keys. */
export function expectedForKey(key: string, count: number, keys: number, from = 0): number[] {
  const out: number[] = [];
  for (let n = from; n < from + count; n++) if (`k${n % keys}` === key) out.push(n);
  return out;
}
