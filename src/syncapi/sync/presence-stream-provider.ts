/**
 * The `presence` stream: `m.presence` events in `presence.events` for the syncing user and the
 * users who share a joined room with them (spec: presence goes to "users who share a room"),
 * changed after the token; an initial sync gets everyone's latest but those offline (the client
 * assumes offline for anyone it is not told about). `last_active_ago` is counted at serve time.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { SyncPresence, SyncStorage } from '../storage/index.js';
import { joinedRoomIds, presenceAllowed } from './ephemeral-rooms.js';
import type { StreamProvider, SyncRequestContext } from './stream-provider.js';

/** The event type of presence updates. */
export const PRESENCE_EVENT_TYPE = 'm.presence';

/** The `presence` stream's provider (`last_active_ago` counts to the attempt's `now`). */
export function presenceStreamProvider(storage: Pick<SyncStorage, 'latestPresencePosition' | 'presenceOfRoomMembers'>): StreamProvider {
  const read = async (ctx: SyncRequestContext, from: number, to: number, initial: boolean) => {
    const updates = await storage.presenceOfRoomMembers(joinedRoomIds(ctx), ctx.userId, from, to);
    for (const p of updates) {
      if (initial && p.presence === 'offline') continue;
      if (!presenceAllowed(ctx, p.userId)) continue;
      ctx.response.presence.events.push(presenceEvent(p, ctx.now));
    }
  };
  return {
    stream: 'presence',
    latest: () => storage.latestPresencePosition(),
    initial: (ctx, to) => read(ctx, 0, to, true),
    incremental: (ctx, from, to) => read(ctx, from, to, false),
  };
}

/**
 * The `m.presence` event of a stored presence at time `now`: `last_active_ago` when the user was
 * ever active, `status_msg` when set, `currently_active` when online.
 */
export function presenceEvent(p: SyncPresence, now: number): JsonObject {
  const content: JsonObject = { presence: p.presence };
  if (p.lastActiveTs !== null) content.last_active_ago = Math.max(0, now - p.lastActiveTs);
  if (p.statusMsg !== null) content.status_msg = p.statusMsg;
  if (p.presence === 'online') content.currently_active = p.currentlyActive;
  return { type: PRESENCE_EVENT_TYPE, sender: p.userId, content };
}
