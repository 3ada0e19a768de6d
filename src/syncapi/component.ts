/**
 * The syncapi as a component: opens and migrates its storage, loads the notifier's index of
 * joined members, starts its consumers (the roomserver's output, written to storage; the
 * userapi's account-data changes, which only wake) and serves `/sync` and the filter routes. It has no internal API:
 * nothing calls it yet.
 */
import { domainOf } from '../matrix/ids/domain-of.js';
import type { SyncRoomserverAPI } from '../roomserver/api.js';
import type { ComponentDefinition } from '../setup/component.js';
import type { SyncUserAPI } from '../userapi/api.js';
import { startRoomserverConsumer } from './consumers/roomserver.js';
import { startAccountDataConsumer } from './consumers/userapi.js';
import { createNotifier } from './notifier.js';
import { filterRoutes } from './routing/filters.js';
import { syncRoutes } from './routing/sync.js';
import { openSyncStorage } from './storage/index.js';
import { syncStreams } from './sync/sync-streams.js';

export const syncapiComponent: ComponentDefinition = {
  name: 'syncapi',
  async start(ctx) {
    const storage = await openSyncStorage(await ctx.database());
    const roomserver = ctx.api<SyncRoomserverAPI>('roomserver');
    const userapi = ctx.api<SyncUserAPI>('userapi');
    const serverName = ctx.config.server_name;
    const notifier = createNotifier((userId) => domainOf(userId) === serverName);
    // Loaded before the consumer starts, which then applies every later change in order.
    notifier.loadJoined(await storage.allJoinedMembers());
    const rooms = await startRoomserverConsumer(ctx.bus, { storage, roomserver, notifier, logger: ctx.logger });
    const accountData = await startAccountDataConsumer(ctx.bus, notifier);
    const streams = syncStreams({ storage, roomserver, userapi });
    return {
      publicRoutes: [...syncRoutes({ storage, notifier, streams }), ...filterRoutes({ userApi: userapi })],
      drain: () => notifier.close(),
      stop: async () => {
        await rooms.stop();
        await accountData.stop();
      },
    };
  },
};
