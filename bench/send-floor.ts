/**
 * `npm run bench -- send-floor`: the highest sequential send rate `bench/send.ts` could show on
 * this machine with Axon's storage design, whatever else the homeserver does. Its server
 * (bench/lib/send-floor-server.ts, a bare `node:http` process) does only the unavoidable part of
 * a send: parse, transaction-ID lookup, build/hash/sign, and the two commits (roomserver rows,
 * syncapi rows) on Axon's real tables. This process is the same client as the send bench's
 * (keep-alive `node:http`, one request at a time). `--n` (3,000) sends after `--warmup` (2,000),
 * then the same against a server doing the roomserver's commit alone. The last line is
 * `{"sequential_msgs_per_s": …, "roomserver_only_msgs_per_s": …, "server_cpu_ms_per_send": …,
 * "client_cpu_ms_per_send": …}` (CPU of the full run).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { closeClient, intOption, request } from './lib/bench-client.js';

const argv = process.argv.slice(2);
const opts = { n: intOption(argv, 'n', 3000), warmup: intOption(argv, 'warmup', 2000) };
/** A process's CPU time so far (user + system), in ms, from /proc. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Sequential sends against a floor server started with `mode`; its rate and CPU per send. */
async function measure(mode: 'full' | 'roomserver-only') {
  const server = new URL('./lib/send-floor-server.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', server, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const base = `http://127.0.0.1:${Number(line.toString().trim())}/_matrix/client/v3/rooms/!floor:bench.test/send/m.room.message`;
    let txn = 0;
    const send = () => request(`${base}/t${txn++}`, 'PUT', { msgtype: 'm.text', body: `message ${txn}` }, 'token');
    for (let i = 0; i < opts.warmup; i++) await send();
    const server0 = cpuMs(child.pid!);
    const client0 = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < opts.n; i++) await send();
    const seconds = (performance.now() - start) / 1000;
    const client = process.cpuUsage(client0);
    const serverMs = cpuMs(child.pid!) - server0;
    console.error(`bare send floor (${mode}): ${opts.n} sends in ${seconds.toFixed(2)} s`);
    return { perSecond: Math.round(opts.n / seconds), serverMs: round2(serverMs / opts.n), clientMs: round2((client.user + client.system) / 1000 / opts.n) };
  } finally {
    child.kill();
  }
}

try {
  const full = await measure('full');
  const roomserverOnly = await measure('roomserver-only');
  console.log(
    JSON.stringify({
      sequential_msgs_per_s: full.perSecond,
      roomserver_only_msgs_per_s: roomserverOnly.perSecond,
      server_cpu_ms_per_send: full.serverMs,
      client_cpu_ms_per_send: full.clientMs,
    }),
  );
} finally {
  closeClient();
}
