/**
 * What clientapi routes are built from. Each route file exports a factory taking these deps and
 * returning its descriptor(s); `routing/index.ts` lists them all.
 */
import type { Logger } from 'pino';
import type { Bus } from '../../internal/bus/bus.js';
import type { LoadedConfig } from '../../internal/config/load-config.js';
import type { ClientFederationAPI } from '../../federationapi/api.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { ClientUserAPI } from '../../userapi/api.js';
import type { FailedLoginLimiter } from '../auth/failed-login-limiter.js';

export interface ClientRouteDeps {
  readonly config: LoadedConfig;
  readonly logger: Logger;
  /** The userapi: local object in a monolith, inthttp client in a polylith. */
  readonly userApi: ClientUserAPI;
  /** The roomserver: rooms, membership, state, aliases. */
  readonly roomserverApi: ClientRoomserverAPI;
  /** The bus, for the topics the clientapi owns (`producers/`: typing, receipts). */
  readonly bus: Bus;
  /** Failed password attempts per user, shared by `/login` and UIA password stages. */
  readonly failedLogins: FailedLoginLimiter;
  /**
   * Whether a user ID lies in an application service's exclusive namespace, which ordinary
   * registration may not take (M_EXCLUSIVE). The appservice component provides it; until then
   * no namespace is exclusive.
   */
  readonly isExclusiveUserId?: (userId: string) => boolean;
  /**
   * The federationapi (other servers' users' keys), looked up on first use; undefined when the
   * deployment has none. Absent: remote servers are reported in the key routes' `failures`.
   */
  readonly federationApi?: () => ClientFederationAPI | undefined;
}

/** What `clientRoutes` is given: the deps, with the failed-login limiter built from the config when absent. */
export type ClientRouteInputs = Omit<ClientRouteDeps, 'failedLogins'> & { readonly failedLogins?: FailedLoginLimiter };
