/** The E2EE key routes of the clientapi (`/keys/upload`, `/keys/query`, `/keys/claim`, cross-signing). */
import type { AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { keysClaim } from './keys-claim.js';
import type { KeysFederation } from './keys-federation-seam.js';
import { keysFederationOver } from './keys-federation-api.js';
import { keysQuery } from './keys-query.js';
import { keysDeviceSigningUpload, keysSignaturesUpload } from './keys-signing-upload.js';
import { keysUpload } from './keys-upload.js';

/**
 * Every key route. `federation` reaches other servers' users (`keys-federation-seam.ts`); by
 * default the federationapi of `deps.federationApi`; without either, their servers are reported
 * in `failures`.
 */
export function keysRoutes(deps: ClientRouteDeps, federation?: KeysFederation): AnyRoute[] {
  const serverName = deps.config.server_name;
  federation ??= deps.federationApi ? keysFederationOver(deps.federationApi) : undefined;
  return [
    keysUpload(deps.userApi),
    keysQuery(deps.userApi, serverName, federation),
    keysClaim(deps.userApi, serverName, federation),
    keysDeviceSigningUpload(deps),
    keysSignaturesUpload(deps),
  ];
}
