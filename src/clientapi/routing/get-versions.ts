/**
 * `GET /_matrix/client/versions`: the spec versions this server serves. Clients pick features by
 * this list, so it names only versions whose endpoints the server implements.
 */
import { defineRoute } from '../../internal/httputil/route.js';

/** Spec versions advertised; extended as components land. */
export const SUPPORTED_SPEC_VERSIONS: readonly string[] = ['r0.6.1', 'v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6'];

/** Unstable features (MSCs) this server implements, advertised as `true`. */
export const UNSTABLE_FEATURES: Readonly<Record<string, boolean>> = {};

export const getVersions = defineRoute({
  method: 'GET',
  path: '/_matrix/client/versions',
  auth: 'none',
  rateLimit: 'none',
  schema: {},
  handler: async () => ({ versions: SUPPORTED_SPEC_VERSIONS, unstable_features: UNSTABLE_FEATURES }),
});
