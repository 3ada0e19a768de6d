/**
 * The syncapi as a component: opens and migrates its storage, loads the notifier's index of
 * joined members, starts its consumers (the roomserver's output, written to storage; the
 * userapi's account-data changes, which only wake; typing into memory; receipts, presence and
 * unread notification counts into storage) and serves `/sync` and the filter routes. It has no internal API:
 * nothing calls it yet.
 */
import { domainOf } from '../matrix/ids/domain-of.js';
import type { SyncRoomserverAPI } from '../roomserver/api.js';
import type { ComponentDefinition } from '../setup/component.js';
import type { SyncUserAPI } from '../userapi/api.js';
import { startRoomserverConsumer } from './consumers/roomserver.js';
import { startAccountDataConsumer } from './consumers/userapi.js';
import { startReceiptConsumer } from './consumers/clientapi-receipts.js';
import { startTypingConsumer } from './consumers/clientapi-typing.js';
import { startPresenceConsumer } from './consumers/userapi-presence.js';
import { startSendToDeviceConsumer } from './consumers/send-to-device.js';
import { createToDevicePosition } from './sync/to-device-stream-provider.js';
import { createDeviceListPosition } from './sync/device-list-stream-provider.js';
import { startDeviceListConsumers } from './consumers/device-list-changes.js';
import { keysChangesRoutes } from './routing/keys-changes.js';
import { notificationsRoutes } from './routing/notifications.js';
import { startNotificationDataConsumer } from './consumers/userapi-notification-data.js';
import { createNotificationDataPosition } from './sync/notification-data-stream-provider.js';
import { createSyncPresenceUpdater } from './sync/sync-presence-updater.js';
import { createTypingCache } from './typing-cache.js';
import { createAccountDataPositions } from './sync/account-data-positions.js';
import { createNotifier } from './notifier.js';
import { contextRoutes } from './routing/context.js';
import { relationsRoutes } from './routing/relations.js';
import { threadsRoutes } from './routing/threads.js';
import { filterRoutes } from './routing/filters.js';
import { messagesRoutes } from './routing/messages.js';
import { searchRoutes } from './routing/search.js';
import { syncRoutes } from './routing/sync.js';
import { legacyEventsRoutes } from './routing/legacy-events.js';
import { legacyInitialSyncRoutes } from './routing/legacy-initial-sync.js';
import { roomInitialSyncRoutes } from './routing/room-initial-sync.js';
import type { LegacyDeps, LegacyRoomserverAPI } from './legacy/legacy-deps.js';
import { openSyncStorage } from './storage/index.js';
import { cachedSyncStorage } from './storage/cached-sync-storage.js';
import { syncStreams } from './sync/sync-streams.js';

export const syncapiComponent: ComponentDefinition = {
  name: 'syncapi',
  async start(ctx) {
    // The cache sits on the writer's storage: this process's consumer writes every change (README).
    const storage = await cachedSyncStorage(await openSyncStorage(await ctx.database()));
    const roomserver = ctx.api<SyncRoomserverAPI>('roomserver');
    const userapi = ctx.api<SyncUserAPI>('userapi');
    const serverName = ctx.config.server_name;
    const notifier = createNotifier((userId) => domainOf(userId) === serverName);
    // Loaded before the consumer starts, which then applies every later change in order.
    notifier.loadJoined(await storage.allJoinedMembers());
    const rooms = await startRoomserverConsumer(ctx.bus, { storage, roomserver, notifier, logger: ctx.logger });
    const accountDataPositions = createAccountDataPositions(userapi);
    const accountData = await startAccountDataConsumer(ctx.bus, notifier, accountDataPositions);
    const typing = createTypingCache({ onExpire: (roomId) => notifier.wakeRoom(roomId) });
    const typingSub = await startTypingConsumer(ctx.bus, { typing, notifier });
    const receipts = await startReceiptConsumer(ctx.bus, { storage, notifier });
    const presence = await startPresenceConsumer(ctx.bus, { storage, notifier });
    const toDevicePosition = createToDevicePosition(await storage.latestToDevicePosition());
    const toDevice = await startSendToDeviceConsumer(ctx.bus, { storage, userapi, notifier, position: toDevicePosition, serverName });
    const deviceListPosition = createDeviceListPosition(await storage.latestDeviceListPosition());
    const deviceLists = await startDeviceListConsumers(ctx.bus, { storage, notifier, position: deviceListPosition });
    const notificationDataPosition = createNotificationDataPosition(await storage.latestNotificationDataPosition());
    const notificationData = await startNotificationDataConsumer(ctx.bus, { storage, notifier, position: notificationDataPosition });
    const presenceEnabled = ctx.config.presence.enabled;
    const setPresence = createSyncPresenceUpdater({ userapi, storage, logger: ctx.logger, enabled: presenceEnabled });
    const streams = syncStreams({ storage, roomserver, userapi, typing, presenceEnabled, accountDataPositions, toDevicePosition, deviceListPosition, notificationDataPosition });
    const legacy: LegacyDeps = { storage, roomserver: ctx.api<LegacyRoomserverAPI>('roomserver'), notifier, streams, userapi };
    return {
      publicRoutes: [...syncRoutes({ storage, notifier, streams, userapi, setPresence }), ...filterRoutes({ userApi: userapi }), ...messagesRoutes({ storage, roomserver }), ...contextRoutes({ storage, roomserver }), ...relationsRoutes({ storage, roomserver }), ...threadsRoutes({ storage, roomserver }), ...searchRoutes({ storage, roomserver }), ...legacyEventsRoutes(legacy), ...legacyInitialSyncRoutes(legacy), ...roomInitialSyncRoutes(legacy), ...keysChangesRoutes({ storage }), ...notificationsRoutes({ userapi })],
      drain: () => notifier.close(),
      stop: async () => {
        await rooms.stop();
        await accountData.stop();
        await typingSub.stop();
        await receipts.stop();
        await presence.stop();
        await toDevice.stop();
        await Promise.all(deviceLists.map((d) => d.stop()));
        await notificationData.stop();
        typing.close();
      },
    };
  },
};
