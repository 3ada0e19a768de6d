/**
 * `npm run bench -- sync`: the syncapi's two hot paths on the SQLite monolith run as users run it
 * (bench/lib/bench-server.ts), this process being every client:
 * - wake latency: `--users` (100) users in one room each hold a long-poll `/sync?timeout=30000`;
 *   another member sends; the time from the send's request to each long-poll's answer carrying
 *   the message, over `--rounds` (30) sends after one unmeasured warm-up round — what "A sends,
 *   B sees it" costs;
 * - initial sync: one user in `--rooms` (100) rooms of `--users` members each, syncing from
 *   nothing with timeline limit 1 and lazy-loaded members (median of 5);
 * - the server's RSS right after start-up (idle) and after the run.
 * The last line is `{"wake_p50_ms": …, "wake_p99_ms": …, "initial_sync_ms": …, "rss_idle_mb": …, "rss_after_mb": …}`.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeClient, intOption, registerUser, type BenchUser } from './lib/bench-client.js';
import { startBenchServer } from './lib/bench-server.js';

const argv = process.argv.slice(2);
const opts = { users: intOption(argv, 'users', 100), rooms: intOption(argv, 'rooms', 100), rounds: intOption(argv, 'rounds', 30) };
const FILTER = encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 1 }, state: { lazy_load_members: true } } }));

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Runs `fn` over `items` with at most `width` at once. */
async function inParallel<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

function timelineBodies(sync: Record<string, unknown>, roomId: string): string[] {
  const rooms = (sync.rooms as { join?: Record<string, { timeline?: { events?: Array<{ content?: { body?: string } }> } }> } | undefined)?.join;
  return (rooms?.[roomId]?.timeline?.events ?? []).map((e) => String(e.content?.body));
}

/** One long-poll per user until it carries `body`; resolves with the arrival times. */
async function waitForBody(user: BenchUser, since: { token: string }, roomId: string, body: string): Promise<number> {
  for (;;) {
    const res = await user.call('GET', `/sync?timeout=30000&filter=${FILTER}&since=${encodeURIComponent(since.token)}`);
    since.token = String(res.next_batch);
    if (timelineBodies(res, roomId).includes(body)) return performance.now();
  }
}

const server = await startBenchServer('sync');
try {
  await sleep(1000);
  const rssIdle = server.rssMb();
  const users: BenchUser[] = [];
  await inParallel(Array.from({ length: opts.users + 1 }, (_, i) => i), 8, async (i) => {
    users[i] = await registerUser(server.clientUrl, `user${i}`);
  });
  const [owner, ...members] = users as [BenchUser, ...BenchUser[]];

  // Rooms: the owner creates them public; every member joins every room (rooms in parallel).
  const roomIds: string[] = [];
  for (let r = 0; r < opts.rooms; r++) {
    const res = await owner.call('POST', '/createRoom', { preset: 'public_chat', name: `room ${r}` });
    roomIds.push(String(res.room_id));
  }
  const joins = roomIds.flatMap((roomId) => members.slice(0, opts.users - 1).map((m) => ({ roomId, m })));
  const t0 = performance.now();
  await inParallel(joins, 32, async ({ roomId, m }) => void (await m.call('POST', `/join/${encodeURIComponent(roomId)}`, {})));
  console.error(`${joins.length} joins in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Initial sync of the owner: in every room, each of `users` members.
  const initial: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await owner.call('GET', `/sync?filter=${FILTER}`);
    initial.push(performance.now() - start);
  }
  initial.sort((a, b) => a - b);
  console.error(`initial sync: ${initial.map((t) => t.toFixed(0)).join(', ')} ms`);

  // Wake latency in the first room: `users` long-polls (the owner and the members), a separate sender.
  const roomId = roomIds[0]!;
  const pollers = users.slice(0, opts.users);
  const sender = users[opts.users]!;
  await sender.call('POST', `/join/${encodeURIComponent(roomId)}`, {});
  const tokens = await Promise.all(pollers.map(async (u) => ({ token: String((await u.call('GET', `/sync?filter=${FILTER}`)).next_batch) })));
  const latencies: number[] = [];
  // Round -1 warms up and is not counted: the pollers' first long-polls set them online, and
  // that presence wakes every room-mate once — a burst of the run's start, not of a message.
  for (let round = -1; round < opts.rounds; round++) {
    const body = `wake ${round}`;
    const arrivals = pollers.map((u, i) => waitForBody(u, tokens[i]!, roomId, body));
    await sleep(100); // let every long-poll reach the server and park
    const sent = performance.now();
    await sender.call('PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/w${round}`, { msgtype: 'm.text', body });
    for (const at of await Promise.all(arrivals)) if (round >= 0) latencies.push(at - sent);
  }
  latencies.sort((a, b) => a - b);
  console.error(`wake: ${latencies.length} samples, p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`);

  console.log(
    JSON.stringify({
      wake_p50_ms: round1(percentile(latencies, 50)),
      wake_p99_ms: round1(percentile(latencies, 99)),
      initial_sync_ms: Math.round(percentile(initial, 50)),
      rss_idle_mb: rssIdle,
      rss_after_mb: server.rssMb(),
    }),
  );
} finally {
  closeClient();
  await server.stop();
}
