/**
 * `npm run bench -- accounts`: how many accounts a monolith on SQLite can create and log in per
 * second, over real HTTP from this process, rate limiting off.
 * - registrations: `POST /register` with the `m.login.dummy` stage sent up front (what
 *   matrix-js-sdk's `register()` sends): username check, UIA session, argon2id hash, account,
 *   device, access token;
 * - logins: `POST /login` with `m.login.password` for those users (argon2id verify, new device
 *   and token).
 * Each phase keeps `--concurrency` requests in flight (8) until `--n` (200) are done or
 * `--seconds` (10) have passed. For comparison it also measures bare argon2id hashing at the same
 * concurrency, and the main thread's event-loop utilisation per phase: when the server's rate is
 * close to the bare hashing rate and the loop is mostly idle, the password hash is the bottleneck
 * and libuv's thread pool (`UV_THREADPOOL_SIZE`, 4 by default) against the machine's cores
 * decides the figure. Details go to stderr; the last line printed is
 * `{"logins_per_s": …, "registrations_per_s": …, "hash": "argon2id m=… t=… p=…"}`.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { argon2d, argon2i, argon2id } from 'argon2';
import { ARGON2_PARAMS, hashPassword } from '../src/userapi/internal/password-hash.js';
import { startTestMonolith } from '../test/harness/start-test-monolith.js';

interface Options {
  readonly n: number;
  readonly concurrency: number;
  readonly seconds: number;
}

/** What one phase measured. */
interface PhaseResult {
  readonly perSecond: number;
  readonly done: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Share of the phase the main thread was busy (0…1); inflated when other processes take the CPU. */
  readonly eventLoopBusy: number;
  /** CPU time per operation on the main thread (server and load generator share it), if known. */
  readonly mainCpuMsPerOp: number | undefined;
  /** CPU time per operation on every other thread: libuv's pool (argon2), GC helpers. */
  readonly otherCpuMsPerOp: number;
}

/** /proc's clock tick (USER_HZ), 100 on every Linux build Node supports. */
const PROC_TICK_MS = 10;

/** CPU time of the main thread so far, from /proc (Linux); undefined elsewhere. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * PROC_TICK_MS;
  } catch {
    return undefined;
  }
}

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function parseOptions(argv: readonly string[]): Options {
  const get = (name: string, dflt: number): number => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    const v = arg === undefined ? dflt : Number(arg.slice(name.length + 3));
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  return { n: get('n', 200), concurrency: get('concurrency', 8), seconds: get('seconds', 10) };
}

/** `argon2id m=19456 t=2 p=1`, from the parameters new hashes are made with. */
function describeHash(): string {
  const names: Record<number, string> = { [argon2d]: 'argon2d', [argon2i]: 'argon2i', [argon2id]: 'argon2id' };
  const p = ARGON2_PARAMS;
  return `${names[p.type] ?? `argon2(type ${p.type})`} m=${p.memoryCost} t=${p.timeCost} p=${p.parallelism}`;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs `op(i)` for i = 0, 1, … with `concurrency` in flight until `n` are done or time is up. */
async function runPhase(opts: Options, op: (i: number) => Promise<void>): Promise<PhaseResult> {
  const latencies: number[] = [];
  const deadline = performance.now() + opts.seconds * 1000;
  const elu = performance.eventLoopUtilization();
  const cpu0 = processCpuMs();
  const main0 = mainThreadCpuMs();
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < opts.n && performance.now() < deadline) {
      const i = next++;
      const t = performance.now();
      await op(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const elapsed = performance.now() - start;
  const busy = performance.eventLoopUtilization(elu).utilization;
  const main1 = mainThreadCpuMs();
  const mainMs = main0 === undefined || main1 === undefined ? undefined : main1 - main0;
  const allMs = processCpuMs() - cpu0;
  const n = Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: round((latencies.length * 1000) / elapsed),
    done: latencies.length,
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    eventLoopBusy: round(busy, 2),
    mainCpuMsPerOp: mainMs === undefined ? undefined : round(mainMs / n),
    otherCpuMsPerOp: round((allMs - (mainMs ?? 0)) / n),
  };
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200 || typeof json.access_token !== 'string') throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function report(name: string, r: PhaseResult): void {
  const cpu =
    r.mainCpuMsPerOp === undefined
      ? `CPU ${r.otherCpuMsPerOp} ms/op in all threads`
      : `CPU per op: main thread ${r.mainCpuMsPerOp} ms, other threads ${r.otherCpuMsPerOp} ms`;
  console.error(
    `${name}: ${r.perSecond}/s (${r.done} done, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms; ${cpu}; ` +
      `event loop busy ${Math.round(r.eventLoopBusy * 100)}%)`,
  );
}

const opts = parseOptions(process.argv.slice(2));
const hash = describeHash();
console.error(
  `${hash}; concurrency ${opts.concurrency}, n ${opts.n}, ≤${opts.seconds} s per phase; ` +
    `${availableParallelism()} cores, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
);

const bare = await runPhase(opts, async (i) => {
  await hashPassword(`bare-password-${i}`);
});
report('argon2id hash alone', bare);

const hs = await startTestMonolith();
try {
  const password = (i: number) => `bench password ${i}`;
  const register = (name: string, i: number) =>
    postJson(`${hs.baseUrl}/_matrix/client/v3/register`, {
      username: name,
      password: password(i),
      initial_device_display_name: 'bench',
      auth: { type: 'm.login.dummy' },
    });
  const login = (name: string, i: number) =>
    postJson(`${hs.baseUrl}/_matrix/client/v3/login`, {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: name },
      password: password(i),
    });

  // Warm-up: JIT, prepared statements, the connection pool of fetch.
  for (let i = 0; i < opts.concurrency; i++) await register(`warmup${i}`, i);
  for (let i = 0; i < opts.concurrency; i++) await login(`warmup${i}`, i);

  const registrations = await runPhase(opts, async (i) => {
    await register(`bench${i}`, i);
  });
  report('register', registrations);
  const users = registrations.done;
  const logins = await runPhase(opts, async (i) => {
    await login(`bench${i % users}`, i % users);
  });
  report('login', logins);
  console.error(
    `vs bare hashing: registrations ${Math.round((registrations.perSecond / bare.perSecond) * 100)}%, ` +
      `logins ${Math.round((logins.perSecond / bare.perSecond) * 100)}%`,
  );
  console.log(JSON.stringify({ logins_per_s: logins.perSecond, registrations_per_s: registrations.perSecond, hash }));
} finally {
  await hs.stop();
}
