/**
 * `npm run bench -- send`: message sends per second over real HTTP against the SQLite monolith
 * run as users run it — the `axon` binary in its own process with an embedded database and bus
 * (`--config` written here: rate limiting off, everything else default). This process is the
 * client: one access token, keep-alive connections through `node:http`. One registered user, then:
 * - sequential: `--n` (3,000) `PUT /rooms/{roomId}/send/m.room.message/{txnId}` in one room,
 *   each awaiting its response before the next — the latency-bound figure a single client sees;
 * - concurrent: `--rooms` (50) rooms, one sender per room, `--per-room` (60) messages each, all
 *   senders at once — how far the server overlaps work across rooms.
 * Both phases are preceded by ~200 warm-up sends (JIT, statement and event caches). Details go to
 * stderr; the last line is `{"sequential_msgs_per_s": …, "concurrent_msgs_per_s": …}`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startAxon } from '../test/harness/spawn-axon.js';

interface Options {
  readonly n: number;
  readonly rooms: number;
  readonly perRoom: number;
  readonly warmup: number;
}

/** Accepts `--name=v` and `--name v`, since the old benchmark took `--n 3000`. */
function parseOptions(argv: readonly string[]): Options {
  const get = (name: string, dflt: number): number => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    const raw = i < 0 ? undefined : argv[i]?.includes('=') ? argv[i]?.slice(name.length + 3) : argv[i + 1];
    const v = raw === undefined ? dflt : Number(raw);
    if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
    return v;
  };
  return { n: get('n', 3000), rooms: get('rooms', 50), perRoom: get('per-room', 60), warmup: get('warmup', 200) };
}

/** A logged-in client: one access token against one base URL. */
interface Client {
  post(path: string, body: unknown): Promise<Record<string, unknown>>;
  send(roomId: string, body: string): Promise<void>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(url: string, method: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        // A failed send must stop the run: a fast error path would otherwise inflate the figure.
        if (res.statusCode !== 200) reject(new Error(`${method} ${url} -> ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text) as Record<string, unknown>);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function register(baseUrl: string, username: string): Promise<Client> {
  const reg = await request(`${baseUrl}/_matrix/client/v3/register`, 'POST', {
    username,
    password: 'bench-password-1',
    auth: { type: 'm.login.dummy' },
    inhibit_login: false,
  });
  const token = reg.access_token;
  if (typeof token !== 'string') throw new Error(`register returned no access_token: ${JSON.stringify(reg)}`);
  let txn = 0;
  return {
    post: (path, body) => request(`${baseUrl}/_matrix/client/v3${path}`, 'POST', body, token),
    send: async (roomId, body) => {
      const path = `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/b${txn++}`;
      await request(`${baseUrl}/_matrix/client/v3${path}`, 'PUT', { msgtype: 'm.text', body }, token);
    },
  };
}

async function createRoom(client: Client, name: string): Promise<string> {
  const res = await client.post('/createRoom', { name, preset: 'private_chat' });
  if (typeof res.room_id !== 'string') throw new Error(`createRoom returned no room_id: ${JSON.stringify(res)}`);
  return res.room_id;
}

async function sendSequential(client: Client, roomId: string, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await client.send(roomId, `message ${i}`);
  return (performance.now() - start) / 1000;
}

/** One sender per room, all at once; returns the wall time until the last send answered. */
async function sendConcurrent(client: Client, roomIds: readonly string[], perRoom: number): Promise<number> {
  const start = performance.now();
  await Promise.all(
    roomIds.map(async (roomId) => {
      for (let i = 0; i < perRoom; i++) await client.send(roomId, `message ${i}`);
    }),
  );
  return (performance.now() - start) / 1000;
}

const opts = parseOptions(process.argv.slice(2));
const dir = mkdtempSync(join(tmpdir(), 'axon-bench-send-'));
const configPath = join(dir, 'axon.yaml');
// JSON is YAML: the config the binary reads, with only what a benchmark must change.
writeFileSync(
  configPath,
  JSON.stringify({
    server_name: 'bench.test',
    signing_key_path: join(dir, 'signing.key'),
    listen: { client: { host: '127.0.0.1', port: 0 }, internal: { host: '127.0.0.1', port: 0 } },
    database: { connection_string: `sqlite:${join(dir, 'axon.db')}` },
    media: { path: join(dir, 'media') },
    registration: { enabled: true },
    rate_limiting: { enabled: false },
  }),
);
const server = await startAxon(['--config', configPath]);
try {
  const client = await register(server.clientUrl, 'bench');
  const roomId = await createRoom(client, 'sequential');
  await sendSequential(client, roomId, opts.warmup);
  const seqSeconds = await sendSequential(client, roomId, opts.n);
  console.error(`sequential: ${opts.n} sends in ${seqSeconds.toFixed(2)} s (${((seqSeconds * 1000) / opts.n).toFixed(2)} ms each)`);

  const roomIds: string[] = [];
  for (let i = 0; i < opts.rooms; i++) roomIds.push(await createRoom(client, `concurrent ${i}`));
  // Warm the concurrent path too (per-room caches, many sockets in the pool), ~200 sends in all.
  await sendConcurrent(client, roomIds, Math.max(1, Math.round(opts.warmup / opts.rooms)));
  const concSeconds = await sendConcurrent(client, roomIds, opts.perRoom);
  const concTotal = opts.rooms * opts.perRoom;
  console.error(`concurrent: ${concTotal} sends across ${opts.rooms} rooms in ${concSeconds.toFixed(2)} s`);

  console.log(
    JSON.stringify({
      sequential_msgs_per_s: Math.round(opts.n / seqSeconds),
      concurrent_msgs_per_s: Math.round(concTotal / concSeconds),
    }),
  );
} finally {
  agent.destroy();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
