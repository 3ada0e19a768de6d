/**
 * The userapi as a component: opens its database, migrates it, and serves its internal API.
 * It has no public routes (the clientapi calls it). Its `userapi-roomserver` consumer keeps the
 * user directory current from the roomserver's output (`consumers/roomserver.ts`).
 */
import type { UserRoomserverAPI } from '../roomserver/api.js';
import type { ComponentDefinition } from '../setup/component.js';
import { startRoomserverConsumer } from './consumers/roomserver.js';
import { startPushPipeline } from './consumers/start-push-pipeline.js';
import { createNetworkGuard } from '../internal/net/network-guard.js';
import { userapiInternalApi } from './inthttp.js';
import { createUserInternalAPI } from './internal/index.js';
import { openUserStorage } from './storage/index.js';

export const userapiComponent: ComponentDefinition = {
  name: 'userapi',
  internalApi: userapiInternalApi,
  async start(ctx) {
    const database = await ctx.database();
    // The outbox first: it also relays what a previous process committed but did not publish.
    const outbox = await ctx.bus.outbox(database, 'userapi');
    const storage = await openUserStorage(database, { outbox, serverName: ctx.config.server_name });
    const api = createUserInternalAPI({
      storage,
      serverName: ctx.config.server_name,
      outbox,
      logger: ctx.logger,
      searchAllUsers: ctx.config.user_directory.search_all_users,
      roomserver: ctx.api<UserRoomserverAPI>('roomserver'),
    });
    const roomserver = ctx.api<UserRoomserverAPI>('roomserver');
    const directory = await startRoomserverConsumer(ctx.bus, { storage, roomserver, serverName: ctx.config.server_name, logger: ctx.logger });
    // Notifications and pushes: their own consumers, so pushes never wait behind the directory.
    const guard = createNetworkGuard({ allowNetworks: ctx.config.federation.allow_networks, denyNetworks: ctx.config.federation.deny_networks });
    const push = await startPushPipeline({ bus: ctx.bus, outbox, storage, roomserver, api, serverName: ctx.config.server_name, guard, logger: ctx.logger });
    return { api, publicRoutes: [], stop: () => Promise.all([directory.stop(), push.stop()]).then(() => undefined) };
  },
};
