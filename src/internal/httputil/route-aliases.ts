/**
 * Older clients (Hydrogen, nio, Quaternion …) still call `r0`: every client and media `v3` path
 * is served under `r0` as well.
 */
const ALIASES: ReadonlyArray<readonly [string, string]> = [
  ['/_matrix/client/v3/', '/_matrix/client/r0/'],
  ['/_matrix/media/v3/', '/_matrix/media/r0/'],
];

/** The path itself plus its `r0` alias, if it has one. */
export function pathsFor(path: string): string[] {
  for (const [from, to] of ALIASES) {
    if (path.startsWith(from)) return [path, to + path.slice(from.length)];
  }
  return [path];
}
