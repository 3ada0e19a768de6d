#!/usr/bin/env node
// Used by `npm start`: compiles src/ to dist/ when dist is missing or older than any source file.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let max = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    max = Math.max(max, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return max;
}

const out = 'dist/cmd/axon.js';
const stale = !existsSync(out) || newest('src') > statSync(out).mtimeMs || statSync('package.json').mtimeMs > statSync(out).mtimeMs;
if (stale) {
  console.error('axon: building dist/ …');
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
