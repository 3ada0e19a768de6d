/**
 * The clientapi: no storage of its own; it turns client requests into calls on the other
 * components' internal APIs. Its routes grow with each component that lands.
 */
import type { ClientRoomserverAPI } from '../roomserver/api.js';
import type { ClientFederationAPI } from '../federationapi/api.js';
import type { ComponentContext, ComponentDefinition } from '../setup/component.js';
import type { ClientUserAPI } from '../userapi/api.js';
import { clientRoutes } from './routing/index.js';

export const clientapiComponent: ComponentDefinition = {
  name: 'clientapi',
  async start(ctx) {
    const routes = clientRoutes({
      config: ctx.config,
      logger: ctx.logger,
      userApi: ctx.api<ClientUserAPI>('userapi'),
      roomserverApi: ctx.api<ClientRoomserverAPI>('roomserver'),
      bus: ctx.bus,
      federationApi: lazyFederation(ctx),
    });
    return { publicRoutes: routes, stop: async () => {} };
  },
};

/**
 * The federationapi, looked up on first use: a deployment without one (no local component, no
 * `components.federationapi` peer) still runs, with local users' keys only.
 */
function lazyFederation(ctx: ComponentContext): () => ClientFederationAPI | undefined {
  let resolved: ClientFederationAPI | undefined;
  let missing = false;
  return () => {
    if (resolved || missing) return resolved;
    try {
      resolved = ctx.api<ClientFederationAPI>('federationapi');
    } catch (e) {
      missing = true;
      ctx.logger.info({ err: e instanceof Error ? e.message : String(e) }, 'clientapi: no federationapi; other servers\' users get no keys');
    }
    return resolved;
  };
}
