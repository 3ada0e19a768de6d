/**
 * `npm run bench -- media`: the mediaapi on a monolith over real HTTP from this process.
 * - thumbnails: a 2000×1500 JPEG is uploaded, then distinct dynamic crop sizes are requested
 *   (`--concurrency` in flight, 4) so each one is rendered by sharp, never served from the cache,
 *   for `--seconds` (5) or `--n` (300) thumbnails;
 * - uploads: 20 uploads of 10 MB each at once, the bodies streamed from small chunks so the load
 *   generator holds almost nothing; the process's RSS is sampled every 10 ms. Uploads are
 *   streamed to disk, so the peak should stay near the idle RSS rather than grow by 200 MB.
 * Details go to stderr; the last line is `{"thumbnails_per_s": …, "peak_rss_mb_20x10mb_uploads": …}`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { jpeg, request, startMediaTestServer, uploadOk, type MediaTestServer } from '../test/mediaapi/media-test-kit.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '4' }, seconds: { type: 'string', default: '5' } },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);
const SECONDS = Number(values.seconds);

async function thumbnails(s: MediaTestServer): Promise<number> {
  const id = await uploadOk(s, await jpeg(2000, 1500), 'image/jpeg');
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
      const res = await request(`${s.url}/_matrix/client/v1/media/thumbnail/hs.test/${id}?width=${w}&height=601&method=crop`, {
        token: s.alice.accessToken,
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

async function uploads(s: MediaTestServer): Promise<number> {
  const CHUNK = 256 * 1024;
  const SIZE = 10 * 1024 * 1024;
  (globalThis as { gc?: () => void }).gc?.();
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 20 }, async (_, u) => {
      const chunk = randomBytes(CHUNK);
      async function* body() {
        for (let sent = 0; sent < SIZE; sent += CHUNK) yield chunk;
      }
      const res = await request(`${s.url}/_matrix/media/v3/upload?filename=u${u}.bin`, {
        method: 'POST',
        token: s.alice.accessToken,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(SIZE) },
        body: ReadableStream.from(body()),
        duplex: 'half',
      } as RequestInit);
      if (res.status !== 200) throw new Error(`upload ${u}: ${res.status} ${res.bytes.toString()}`);
    }),
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  console.error(`uploads: 20×10 MB in ${((performance.now() - t0) / 1000).toFixed(2)} s; RSS idle ${mb(idle)} MB, peak ${mb(peak)} MB`);
  return mb(peak);
}

const s = await startMediaTestServer({ max_upload_bytes: 20 * 1024 * 1024 });
try {
  const thumbnailsPerS = await thumbnails(s);
  const peakRss = await uploads(s);
  console.log(JSON.stringify({ thumbnails_per_s: Math.round(thumbnailsPerS * 10) / 10, peak_rss_mb_20x10mb_uploads: peakRss }));
} finally {
  await s.stop();
}
