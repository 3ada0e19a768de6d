/**
 * The roomserver as a component: opens its database, migrates it, and serves its internal API.
 * It has no public routes; other components call it. Other servers' keys come with the
 * federationapi later: until then only our own signatures can be verified.
 */
import type { ComponentDefinition } from '../setup/component.js';
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
    });
    return { api, publicRoutes: [], stop: async () => {} };
  },
};
