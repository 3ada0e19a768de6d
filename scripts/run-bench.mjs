#!/usr/bin/env node
// `npm run bench -- <name>` runs bench/<name>.ts (or bench/<name>/index.ts); its last line is JSON.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run bench -- <name>');
  process.exit(2);
}
const candidates = [`bench/${name}.ts`, `bench/${name}/index.ts`];
const file = candidates.find((c) => existsSync(c));
if (!file) {
  console.error(`no benchmark named "${name}" (looked for ${candidates.join(', ')})`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file, ...process.argv.slice(3)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
