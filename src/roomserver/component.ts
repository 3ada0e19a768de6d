/**
 * The roomserver as a component: opens its database, migrates it, and serves its internal API.
 * It has no public routes; other components call it. Other servers' keys, remote joins and
 * invites go through the federationapi when the deployment has one.
 */
import type { RoomserverFederationAPI } from '../federationapi/api.js';
import type { ComponentContext, ComponentDefinition } from '../setup/component.js';
import { roomserverInternalApi } from './inthttp.js';
import { createRoomserverInternalAPI } from './internal/index.js';
import { openRoomserverStorage } from './storage/index.js';
import { createRoomserverRecords } from './storage/roomserver-records.js';

export const roomserverComponent: ComponentDefinition = {
  name: 'roomserver',
  internalApi: roomserverInternalApi,
  async start(ctx) {
    const database = await ctx.database();
    // The outbox first: it also relays what a previous process committed but did not publish.
    const outbox = await ctx.bus.outbox(database, 'roomserver');
    const storage = await openRoomserverStorage(database, { outbox });
    const api = createRoomserverInternalAPI({
      storage,
      records: createRoomserverRecords(database),
      outbox,
      serverName: ctx.config.server_name,
      signingKey: ctx.signingKey,
      defaultRoomVersion: ctx.config.rooms.default_version,
      logger: ctx.logger,
      federation: lazyFederation(ctx),
    });
    return { api, publicRoutes: [], stop: async () => {} };
  },
};

/**
 * The federationapi, looked up on first use: a deployment without one (no local component, no
 * `components.federationapi` peer) still runs, with only local rooms and our own signatures.
 */
function lazyFederation(ctx: ComponentContext): () => RoomserverFederationAPI | undefined {
  let resolved: RoomserverFederationAPI | undefined;
  let missing = false;
  return () => {
    if (resolved || missing) return resolved;
    try {
      resolved = ctx.api<RoomserverFederationAPI>('federationapi');
    } catch (e) {
      missing = true;
      ctx.logger.info({ err: e instanceof Error ? e.message : String(e) }, 'roomserver: no federationapi; remote rooms and keys are unavailable');
    }
    return resolved;
  };
}
