/** The federationapi's internal API: one operation per file, bound to a shared context. */
import type { FederationAPI } from '../api.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { claimRemoteKeys } from './claim-remote-keys.js';
import { performBackfill } from './perform-backfill.js';
import { performInvite } from './perform-invite.js';
import { performJoin } from './perform-join.js';
import { performKnock } from './perform-knock.js';
import { performLeave } from './perform-leave.js';
import { performRemoteTimestampToEvent } from './perform-remote-timestamp-to-event.js';
import { queryRemoteAlias } from './query-remote-alias.js';
import { queryRemoteKeys } from './query-remote-keys.js';
import { queryServerKey } from './query-server-key.js';

export type { FederationInternalContext };

/** Builds the API over `ctx`. */
export function createFederationInternalAPI(ctx: FederationInternalContext): FederationAPI {
  return {
    queryServerKey: (req) => queryServerKey(ctx.keyRing, req),
    performJoin: (req) => performJoin(ctx, req),
    performInvite: (req) => performInvite(ctx, req),
    performLeave: (req) => performLeave(ctx, req),
    performKnock: (req) => performKnock(ctx, req),
    queryRemoteAlias: (req) => queryRemoteAlias(ctx, req),
    performBackfill: (req) => performBackfill(ctx, req),
    queryRemoteKeys: (req) => queryRemoteKeys(ctx, req),
    claimRemoteKeys: (req) => claimRemoteKeys(ctx, req),
    performRemoteTimestampToEvent: (req) => performRemoteTimestampToEvent(ctx, req),
  };
}
