/**
 * `npm run bench -- wake-floor`: the lowest wake latency `bench/sync.ts` could show on this
 * machine, whatever the homeserver does. Its server (bench/lib/wake-floor-server.ts, a bare
 * `node:http` process) holds `--users` (100) long-polls and answers all of them the moment the
 * "send" arrives, with a fixed body and no other work; this process is the same client as the
 * sync bench's (keep-alive `node:http`, each answer parsed as JSON). Over `--rounds` (30) rounds
 * after a warm-up, the time from the send's request to each long-poll's answer. The last line
 * is `{"wake_p50_ms": …, "wake_p99_ms": …}`: what HTTP alone costs a hundred answers on these cores.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeClient, intOption, request } from './lib/bench-client.js';

const argv = process.argv.slice(2);
const opts = { users: intOption(argv, 'users', 100), rounds: intOption(argv, 'rounds', 30) };
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

const child = spawn(process.execPath, ['--import', 'tsx', new URL('./lib/wake-floor-server.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const base = `http://127.0.0.1:${Number(line.toString().trim())}`;
  const latencies: number[] = [];
  for (let round = -1; round < opts.rounds; round++) {
    const arrivals = Array.from({ length: opts.users }, async () => {
      await request(`${base}/sync`, 'GET');
      return performance.now();
    });
    await sleep(100); // every long-poll parked, as in the sync bench
    const sent = performance.now();
    await request(`${base}/send`, 'PUT', { msgtype: 'm.text', body: 'wake' });
    for (const at of await Promise.all(arrivals)) if (round >= 0) latencies.push(at - sent);
  }
  latencies.sort((a, b) => a - b);
  console.error(`bare HTTP wake: ${latencies.length} samples, p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`);
  console.log(JSON.stringify({ wake_p50_ms: round1(percentile(latencies, 50)), wake_p99_ms: round1(percentile(latencies, 99)) }));
} finally {
  closeClient();
  child.kill();
}
