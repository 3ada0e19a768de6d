/**
 * Publish → handler throughput and latency of any {@link Bus}, in one process: 100 keys,
 * ~200-byte payloads, one consumer with concurrency 16. Every implementation's bench
 * (`bus-embedded.ts`, `bus.ts`) measures through this, so their figures compare:
 * - `msgs_per_s`: a flood of 100,000 messages, 10 per publish call, at most 64 calls waiting;
 *   messages divided by the time from the first publish to the last handler call;
 * - `p50_ms` / `p99_ms`: latency from the publish call to the handler, one message per call at
 *   a steady 5,000 msg/s for 2 s;
 * - `single_*`: 100,000 messages published one per call by producers that each wait for their
 *   publish (64 waiting at most): throughput and latency measured together.
 */
import type { Bus, BusMessage, TopicSpec } from '../src/internal/bus/bus.js';

/** Results of {@link measureBus}. */
export interface BusBenchResult {
  /** Messages per second, publish to handler, 10 messages per publish call. */
  readonly msgs_per_s: number;
  /** Median latency from publish call to handler at a steady rate. */
  readonly p50_ms: number;
  /** 99th percentile of the same. */
  readonly p99_ms: number;
  /** Messages per second with one message per publish call. */
  readonly single_msgs_per_s: number;
  /** Median latency in that run. */
  readonly single_p50_ms: number;
  /** 99th percentile of the same. */
  readonly single_p99_ms: number;
}

/** The knobs of {@link measureBus}; {@link DEFAULT_MEASURE} is the standard run. */
export interface MeasureBusOptions {
  /** Messages per flood. */
  readonly floodMessages: number;
  /** Publish calls waiting at most, in a flood. */
  readonly outstanding: number;
  /** The subscriber's concurrency. */
  readonly concurrency: number;
  /** Ordering keys the messages are spread over. */
  readonly keys: number;
  /** Messages per second in the latency run. */
  readonly pacedRate: number;
  /** Length of the latency run. */
  readonly pacedMs: number;
}

export const DEFAULT_MEASURE: MeasureBusOptions = {
  floodMessages: 100_000,
  outstanding: 64,
  concurrency: 16,
  keys: 100,
  pacedRate: 5000,
  pacedMs: 2000,
};

interface Payload {
  readonly n: number;
  /** `performance.now()` at the publish call. */
  readonly t: number;
  readonly body: string;
}

const BODY = 'x'.repeat(150);

/** Runs the three measurements, each on a fresh topic named after `label`. */
export async function measureBus(bus: Bus, opts: MeasureBusOptions = DEFAULT_MEASURE, label = 'Bench'): Promise<BusBenchResult> {
  const batch = await flood(bus, { name: `${label}Batch` }, 10, opts);
  const single = await flood(bus, { name: `${label}Single` }, 1, opts);
  const paced = await steady(bus, { name: `${label}Paced` }, opts);
  return {
    msgs_per_s: Math.round(batch.rate),
    p50_ms: round3(paced.p50),
    p99_ms: round3(paced.p99),
    single_msgs_per_s: Math.round(single.rate),
    single_p50_ms: round3(single.p50),
    single_p99_ms: round3(single.p99),
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function message(topic: TopicSpec, n: number, keys: number): BusMessage<Payload> {
  return { topic, key: `!room${n % keys}:bench`, payload: { n, t: performance.now(), body: BODY } };
}

/** Subscribes; `done` resolves at the `count`-th handler call. Records each latency. */
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

function percentiles(latencies: number[]): { p50: number; p99: number } {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Publishes `floodMessages`, `perCall` per publish, with at most `outstanding` calls waiting. */
async function flood(bus: Bus, topic: TopicSpec, perCall: number, o: MeasureBusOptions) {
  const latencies: number[] = [];
  const sub = await consume(bus, topic, o.floodMessages, o.concurrency, latencies);
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let n = 0; n < o.floodMessages; n += perCall) {
    const count = Math.min(perCall, o.floodMessages - n);
    const p = bus.publish(Array.from({ length: count }, (_, i) => message(topic, n + i, o.keys)));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= o.outstanding) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const end = await sub.done;
  await sub.stop();
  return { rate: o.floodMessages / ((end - start) / 1000), ...percentiles(latencies) };
}

/** Publishes one message per call at a steady `pacedRate` for `pacedMs`. */
async function steady(bus: Bus, topic: TopicSpec, o: MeasureBusOptions) {
  const total = Math.round((o.pacedRate * o.pacedMs) / 1000);
  const latencies: number[] = [];
  const sub = await consume(bus, topic, total, o.concurrency, latencies);
  const start = performance.now();
  const publishes: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * o.pacedRate) / 1000));
    for (; sent < due; sent++) publishes.push(bus.publish([message(topic, sent, o.keys)]));
    // Sleep until the next message is due: spinning would steal the CPU the server needs.
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 / o.pacedRate - 0.5)));
  }
  await Promise.all(publishes);
  await sub.done;
  await sub.stop();
  return percentiles(latencies);
}
