/** Finds a service binary on PATH or in the given extra directories. */
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findBinary(name: string, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs];
  for (const d of dirs) {
    const p = join(d, name);
    if (d && existsSync(p)) return p;
  }
  return undefined;
}

/** Debian installs PostgreSQL's server binaries under /usr/lib/postgresql/<major>/bin. */
export function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}
