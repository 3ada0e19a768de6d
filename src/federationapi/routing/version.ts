/**
 * `GET /_matrix/federation/v1/version`: our implementation's name and version (the `version`
 * of package.json, read once at start).
 */
import { readFileSync } from 'node:fs';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';

/**
 * Axon's version from package.json. This file sits three levels below the package root both as
 * source (`src/federationapi/routing/`) and built (`dist/federationapi/routing/`).
 */
export function axonVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The route. */
export function versionRoutes(): AnyRoute[] {
  const body = { server: { name: 'Axon', version: axonVersion() } };
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/version',
      auth: 'none',
      rateLimit: 'none',
      schema: {},
      handler: async () => body,
    }),
  ];
}
