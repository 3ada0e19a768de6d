/**
 * First run without `--config`: write a complete config for `localhost:8008` on SQLite and the
 * embedded bus, so `npm start` needs no setup. An existing file is never overwritten.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateConfig } from '../internal/config/generate-config.js';

/** Returns true when it wrote a new file. */
export function ensureDefaultConfig(path: string): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, generateConfig({ server_name: 'localhost:8008' }), { mode: 0o600, flag: 'wx' });
  return true;
}
