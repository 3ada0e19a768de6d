/**
 * `npm run bench -- send`: message sends per second over real HTTP against the SQLite monolith
 * run as users run it (bench/lib/bench-server.ts: the `axon` binary in its own process, embedded
 * database and bus). This process is the client, with keep-alive `node:http`. One registered
 * user, then:
 * - sequential: `--n` (3,000) `PUT /rooms/{roomId}/send/m.room.message/{txnId}` in one room,
 *   each awaiting its response before the next — the latency-bound figure a single client sees;
 * - concurrent: `--rooms` (50) rooms, one sender per room, `--per-room` (60) messages each, all
 *   senders at once — how far the server overlaps work across rooms.
 * Both phases are preceded by ~200 warm-up sends (JIT, statement and event caches). Details go to
 * stderr; the last line is `{"sequential_msgs_per_s": …, "concurrent_msgs_per_s": …}`.
 */
import { performance } from 'node:perf_hooks';
import { closeClient, intOption, registerUser, type BenchUser } from './lib/bench-client.js';
import { startBenchServer } from './lib/bench-server.js';

const argv = process.argv.slice(2);
const opts = { n: intOption(argv, 'n', 3000), rooms: intOption(argv, 'rooms', 50), perRoom: intOption(argv, 'per-room', 60), warmup: intOption(argv, 'warmup', 200) };

let txn = 0;
const send = (user: BenchUser, roomId: string, body: string) =>
  user.call('PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/b${txn++}`, { msgtype: 'm.text', body });

async function createRoom(user: BenchUser, name: string): Promise<string> {
  const res = await user.call('POST', '/createRoom', { name, preset: 'private_chat' });
  if (typeof res.room_id !== 'string') throw new Error(`createRoom returned no room_id: ${JSON.stringify(res)}`);
  return res.room_id;
}

async function sendSequential(user: BenchUser, roomId: string, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await send(user, roomId, `message ${i}`);
  return (performance.now() - start) / 1000;
}

/** One sender per room, all at once; returns the wall time until the last send answered. */
async function sendConcurrent(user: BenchUser, roomIds: readonly string[], perRoom: number): Promise<number> {
  const start = performance.now();
  await Promise.all(
    roomIds.map(async (roomId) => {
      for (let i = 0; i < perRoom; i++) await send(user, roomId, `message ${i}`);
    }),
  );
  return (performance.now() - start) / 1000;
}

const server = await startBenchServer('send');
try {
  const user = await registerUser(server.clientUrl, 'bench');
  const roomId = await createRoom(user, 'sequential');
  await sendSequential(user, roomId, opts.warmup);
  const seqSeconds = await sendSequential(user, roomId, opts.n);
  console.error(`sequential: ${opts.n} sends in ${seqSeconds.toFixed(2)} s (${((seqSeconds * 1000) / opts.n).toFixed(2)} ms each)`);

  const roomIds: string[] = [];
  for (let i = 0; i < opts.rooms; i++) roomIds.push(await createRoom(user, `concurrent ${i}`));
  // Warm the concurrent path too (per-room caches, many sockets in the pool), ~200 sends in all.
  await sendConcurrent(user, roomIds, Math.max(1, Math.round(opts.warmup / opts.rooms)));
  const concSeconds = await sendConcurrent(user, roomIds, opts.perRoom);
  const concTotal = opts.rooms * opts.perRoom;
  console.error(`concurrent: ${concTotal} sends across ${opts.rooms} rooms in ${concSeconds.toFixed(2)} s`);

  console.log(
    JSON.stringify({
      sequential_msgs_per_s: Math.round(opts.n / seqSeconds),
      concurrent_msgs_per_s: Math.round(concTotal / concSeconds),
    }),
  );
} finally {
  closeClient();
  await server.stop();
}
