/**
 * How a component plugs into a process. A definition knows how to start the component from a
 * context; the context hands it storage, the bus and the APIs of the components it calls — the
 * local object when they run in this process, the generated HTTP client when they do not — so a
 * component is written once and runs in a monolith or a polylith unchanged.
 */
import type { Logger } from 'pino';
import type { Bus } from '../internal/bus/bus.js';
import type { LoadedConfig } from '../internal/config/load-config.js';
import type { FederationAuthenticator } from '../internal/httputil/authenticators.js';
import type { AnyRoute } from '../internal/httputil/route.js';
import type { InternalApi } from '../internal/rpc/define-internal-api.js';
import type { Database } from '../internal/sqlutil/database.js';
import type { SigningKey } from '../matrix/signing-key.js';

/** What a component may use while it starts and runs. */
export interface ComponentContext {
  readonly config: LoadedConfig;
  readonly logger: Logger;
  readonly signingKey: SigningKey;
  readonly bus: Bus;
  /** This component's database (its override or the global one). */
  database(): Promise<Database>;
  /**
   * The internal API of another component. The handle resolves on each call, so components that
   * call each other (roomserver ↔ federationapi) can be started in either order; a call made
   * before the target has started fails with a clear error instead of hitting an unset field.
   */
  api<T>(component: string): T;
}

/** A started component. */
export interface ComponentInstance {
  /** The internal API object (the `internal` implementation), if the component has one. */
  readonly api?: object;
  /** Public routes (client, federation, media …) this component serves. */
  readonly publicRoutes: readonly AnyRoute[];
  /** The X-Matrix check for `auth: 'federation'` routes (the federationapi provides it). */
  readonly federationAuthenticator?: FederationAuthenticator;
  /** Problems that make it unhealthy right now (empty when fine). */
  problems?(): string[];
  /**
   * The process is about to close its listeners, which waits for requests in flight: answer
   * the ones held open on purpose (long-polls) now. Optional; `stop` follows.
   */
  drain?(): void;
  /** Stops consumers and background work; storage is closed by the process afterwards. */
  stop(): Promise<void>;
}

export interface ComponentDefinition {
  readonly name: string;
  /** Its internal API (from its `inthttp.ts`), when other components call it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each component's API type differs
  readonly internalApi?: InternalApi<any>;
  start(ctx: ComponentContext): Promise<ComponentInstance>;
}
