/**
 * `npm run bench -- rss-floor`: the resident memory of a Node process that only imports the
 * packages the embedded monolith loads at start-up (the HTTP framework and its schema compiler,
 * the query builder and SQLite driver, the logger, the outbound HTTP client, libsodium, argon2,
 * the metrics registry), next to bare `node`: the part of `bench/sync`'s idle RSS no Axon code
 * can remove. Each is measured in a fresh process after a second, as the sync bench measures the
 * server's. The last line is `{"bare_node_rss_mb": …, "dependencies_rss_mb": …}`.
 */
import { execFileSync } from 'node:child_process';

const PACKAGES = ['fastify', '@fastify/type-provider-typebox', 'typebox', 'ajv', 'ajv-formats', 'kysely', 'better-sqlite3', 'pino', 'undici', 'sodium-native', 'argon2', 'prom-client'];

/** RSS in MiB of a fresh `node` that imports `packages` (opening a SQLite handle when loaded), after 1 s. */
function rssAfterImporting(packages: readonly string[]): number {
  const script = `
    for (const p of ${JSON.stringify(packages)}) await import(p);
    if (${JSON.stringify(packages)}.includes('better-sqlite3')) { const { default: S } = await import('better-sqlite3'); new S(':memory:').prepare('select 1').get(); }
    setTimeout(() => { const kb = Number(/^VmRSS:\\s+(\\d+)/m.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]); console.log(kb / 1024); }, 1000);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/'); ${script}`], { encoding: 'utf8' });
  return Math.round(Number(out.trim()) * 10) / 10;
}

const bare = rssAfterImporting([]);
const deps = rssAfterImporting(PACKAGES);
console.error(`bare node ${bare} MiB; with ${PACKAGES.join(', ')}: ${deps} MiB`);
console.log(JSON.stringify({ bare_node_rss_mb: bare, dependencies_rss_mb: deps }));
