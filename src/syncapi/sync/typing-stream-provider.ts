/**
 * The `typing` stream: an `m.typing` ephemeral event (`{user_ids}`) in each joined room whose
 * set of typing users changed since the token (an empty list when the typing stopped), and in an
 * initial sync in each joined room where someone types. Positions come from the in-memory
 * {@link TypingCache}; a token ahead of it (from another process) gets the current state, and the
 * cache catches up to the token, so the next sync does not get it again.
 */
import type { TypingCache } from '../typing-cache.js';
import { ephemeralAllowed, joinedRoomIds } from './ephemeral-rooms.js';
import type { StreamProvider, SyncRequestContext } from './stream-provider.js';
import { joinedRoom } from './sync-response.js';

/** The event type of typing notifications. */
export const TYPING_EVENT_TYPE = 'm.typing';

/** The `typing` stream's provider. */
export function typingStreamProvider(typing: TypingCache): StreamProvider {
  const writeCurrent = (ctx: SyncRequestContext) => {
    for (const roomId of joinedRoomIds(ctx)) {
      const users = typing.typingIn(roomId);
      if (users.length > 0) write(ctx, roomId, users);
    }
  };
  return {
    stream: 'typing',
    latest: async () => typing.latest(),
    initial: async (ctx) => writeCurrent(ctx),
    async incremental(ctx, from, to) {
      if (from > typing.latest()) {
        typing.advanceTo(from);
        writeCurrent(ctx);
        return;
      }
      for (const [roomId, users] of typing.changedIn(joinedRoomIds(ctx), from, to)) write(ctx, roomId, users);
    },
  };
}

function write(ctx: SyncRequestContext, roomId: string, userIds: string[]): void {
  if (!ephemeralAllowed(ctx, roomId, TYPING_EVENT_TYPE)) return;
  joinedRoom(ctx.response, roomId).ephemeral.events.push({ type: TYPING_EVENT_TYPE, content: { user_ids: userIds } });
}
