/**
 * `npm run bench -- media`: the mediaapi of the SQLite monolith run as users run it (the `axon`
 * binary in its own process, bench/lib/bench-server.ts), over real HTTP from this process.
 * - thumbnails: a 2000×1500 JPEG is uploaded, then distinct dynamic crop sizes are requested
 *   (`--concurrency` in flight, 4) so each one is rendered by sharp, never served from the cache,
 *   for `--seconds` (5) or `--n` (300) thumbnails;
 * - uploads: 20 uploads of 10 MB each at once, the bodies streamed from small chunks so the load
 *   generator holds almost nothing; the server process's RSS is sampled every 10 ms (from
 *   /proc). Uploads are streamed to disk, so the peak should stay near the idle RSS rather than
 *   grow by 200 MB.
 * Details go to stderr; the last line is `{"thumbnails_per_s": …, "peak_rss_mb_20x10mb_uploads": …}`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { jpeg, request } from '../test/mediaapi/media-test-kit.js';
import { registerUser, type BenchUser } from './lib/bench-client.js';
import { startBenchServer, type BenchServer } from './lib/bench-server.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '4' }, seconds: { type: 'string', default: '5' } },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);
const SECONDS = Number(values.seconds);

async function thumbnails(s: BenchServer, user: BenchUser): Promise<number> {
  const up = await request(`${s.clientUrl}/_matrix/media/v3/upload`, { method: 'POST', headers: { authorization: `Bearer ${user.token}`, 'content-type': 'image/jpeg' }, body: await jpeg(2000, 1500) });
  const id = String(up.json?.content_uri).split('/').pop();
  if (up.status !== 200 || id === undefined) throw new Error(`upload: ${up.status} ${up.bytes.toString()}`);
  // Let the configured sizes made at upload finish, so they do not share the measured window.
  await new Promise((r) => setTimeout(r, 1000));
  let next = 0;
  let done = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  const worker = async () => {
    while (next < N && performance.now() < deadline) {
      const i = next++;
      // Sizes no configured box covers and no earlier request used: a fresh render each time.
      const w = 801 + i;
      const res = await request(`${s.clientUrl}/_matrix/client/v1/media/thumbnail/bench.test/${id}?width=${w}&height=601&method=crop`, {
        token: user.token,
      });
      if (res.status !== 200) throw new Error(`thumbnail ${w}: ${res.status} ${res.bytes.toString()}`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const perS = done / ((performance.now() - t0) / 1000);
  console.error(`thumbnails: ${done} rendered at ${perS.toFixed(1)}/s (concurrency ${CONCURRENCY})`);
  return perS;
}

async function uploads(s: BenchServer, user: BenchUser): Promise<number> {
  const CHUNK = 256 * 1024;
  const SIZE = 10 * 1024 * 1024;
  const idle = s.rssMb();
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, s.rssMb());
  }, 10);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 20 }, async (_, u) => {
      const chunk = randomBytes(CHUNK);
      async function* body() {
        for (let sent = 0; sent < SIZE; sent += CHUNK) yield chunk;
      }
      const res = await request(`${s.clientUrl}/_matrix/media/v3/upload?filename=u${u}.bin`, {
        method: 'POST',
        token: user.token,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(SIZE) },
        body: ReadableStream.from(body()),
        duplex: 'half',
      } as RequestInit);
      if (res.status !== 200) throw new Error(`upload ${u}: ${res.status} ${res.bytes.toString()}`);
    }),
  );
  clearInterval(sampler);
  peak = Math.max(peak, s.rssMb());
  console.error(`uploads: 20×10 MB in ${((performance.now() - t0) / 1000).toFixed(2)} s; server RSS before ${idle} MB, peak ${peak} MB`);
  return peak;
}

const s = await startBenchServer('media', (dir) => ({ media: { path: `${dir}/media`, max_upload_bytes: 20 * 1024 * 1024 } }));
try {
  const user = await registerUser(s.clientUrl, 'bench');
  // Uploads first: libvips' caches from the thumbnail phase would hide what uploads cost.
  const peakRss = await uploads(s, user);
  const thumbnailsPerS = await thumbnails(s, user);
  console.log(JSON.stringify({ thumbnails_per_s: Math.round(thumbnailsPerS * 10) / 10, peak_rss_mb_20x10mb_uploads: peakRss }));
} finally {
  await s.stop();
}
