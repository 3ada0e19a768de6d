/**
 * Publish → handler throughput and latency of any {@link Bus}, in one process, measured the way
 * `bus-embedded.ts` measures the embedded bus so the figures compare:
 * - flood: `floodMessages` messages over `keys` keys (~200-byte payloads), published `batch` per
 *   call with up to `outstanding` calls in flight, consumed with `concurrency`; throughput is
 *   messages divided by the time from the first publish to the last handler call;
 * - paced: messages published one per call at a steady `pacedRate` for `pacedMs`; latency is
 *   from the publish call to the handler call (p50 and p99).
 */
import type { Bus, BusMessage, TopicSpec } from '../src/internal/bus/bus.js';

export interface BusBenchResult {
  readonly msgs_per_s: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
}

export interface MeasureBusOptions {
  readonly floodMessages: number;
  readonly batch: number;
  readonly outstanding: number;
  readonly concurrency: number;
  readonly keys: number;
  readonly pacedRate: number;
  readonly pacedMs: number;
}

export const DEFAULT_MEASURE: MeasureBusOptions = {
  floodMessages: 100_000,
  batch: 10,
  outstanding: 64,
  concurrency: 16,
  keys: 100,
  pacedRate: 20_000,
  pacedMs: 2000,
};

interface Payload {
  readonly n: number;
  /** `performance.now()` at the publish call. */
  readonly t: number;
  readonly body: string;
}

const BODY = 'x'.repeat(150);

/** Floods, then paces, a fresh topic each; `label` keeps topics apart between runs. */
export async function measureBus(bus: Bus, opts: MeasureBusOptions = DEFAULT_MEASURE, label = 'Bench'): Promise<BusBenchResult> {
  const msgs_per_s = await flood(bus, { name: `${label}Flood` }, opts);
  const { p50, p99 } = await paced(bus, { name: `${label}Paced` }, opts);
  return { msgs_per_s: Math.round(msgs_per_s), p50_ms: round3(p50), p99_ms: round3(p99) };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function message(topic: TopicSpec, n: number, keys: number): BusMessage<Payload> {
  return { topic, key: `!room${n % keys}:bench`, payload: { n, t: performance.now(), body: BODY } };
}

/** Subscribes; resolves with the time the `count`-th message was handled (recording latencies). */
async function consume(bus: Bus, topic: TopicSpec, count: number, concurrency: number, latencies: number[]) {
  let seen = 0;
  let finish: (t: number) => void = () => {};
  const done = new Promise<number>((r) => (finish = r));
  const sub = await bus.subscribe<Payload>({
    topic,
    consumer: 'bench',
    concurrency,
    async handler(m) {
      latencies.push(performance.now() - m.payload.t);
      if (++seen === count) finish(performance.now());
    },
  });
  return { done, stop: () => sub.stop() };
}

async function flood(bus: Bus, topic: TopicSpec, o: MeasureBusOptions): Promise<number> {
  const sub = await consume(bus, topic, o.floodMessages, o.concurrency, []);
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let n = 0; n < o.floodMessages; n += o.batch) {
    const p = bus.publish(Array.from({ length: Math.min(o.batch, o.floodMessages - n) }, (_, i) => message(topic, n + i, o.keys)));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= o.outstanding) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const end = await sub.done;
  await sub.stop();
  return o.floodMessages / ((end - start) / 1000);
}

async function paced(bus: Bus, topic: TopicSpec, o: MeasureBusOptions): Promise<{ p50: number; p99: number }> {
  const total = Math.round((o.pacedRate * o.pacedMs) / 1000);
  const latencies: number[] = [];
  const sub = await consume(bus, topic, total, o.concurrency, latencies);
  const start = performance.now();
  const publishes: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * o.pacedRate) / 1000));
    for (; sent < due; sent++) publishes.push(bus.publish([message(topic, sent, o.keys)]));
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(publishes);
  await sub.done;
  await sub.stop();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}
