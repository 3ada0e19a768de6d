/**
 * How people find a room, moved to its replacement during an upgrade: this server's aliases
 * (spec step 4, "moves any local aliases to the new room", keeping who made each alias), the
 * old room's canonical alias emptied so it no longer advertises aliases that lead elsewhere (the
 * new room got a copy with the transferred state), and its place in the room directory.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { performSendEvents } from './perform-send-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Moves aliases and the directory listing from `oldRoomId` to `newRoomId`. */
export async function moveRoomListing(ctx: RoomserverInternalContext, oldRoomId: string, newRoomId: string, userId: string): Promise<void> {
  for (const alias of await ctx.storage.getAliasesForRoom(oldRoomId)) {
    const found = await ctx.storage.getRoomAlias(alias);
    if (found?.roomId !== oldRoomId) continue;
    await ctx.storage.removeRoomAlias(alias);
    await ctx.storage.setRoomAlias(alias, newRoomId, found.creatorId);
  }
  await clearCanonicalAlias(ctx, oldRoomId, userId);
  if (await ctx.storage.isRoomPublished(oldRoomId)) {
    await ctx.storage.setRoomPublished(newRoomId, true);
    await ctx.storage.setRoomPublished(oldRoomId, false);
  }
}

/** Sends an empty `m.room.canonical_alias` to the old room if it named any alias; skipped when the user may not. */
async function clearCanonicalAlias(ctx: RoomserverInternalContext, roomId: string, userId: string): Promise<void> {
  const [current] = (await ctx.storage.getStateEvents({ currentOf: roomId }, { tuples: [['m.room.canonical_alias', '']] })) ?? [];
  const content = current && ((JSON.parse(current.json) as { content?: JsonObject }).content ?? {});
  if (!content || (content.alias === undefined && content.alt_aliases === undefined)) return;
  try {
    await performSendEvents(ctx, { events: [{ roomId, type: 'm.room.canonical_alias', stateKey: '', sender: userId, content: {} }] });
  } catch (e) {
    if (!(e instanceof MatrixError && e.errcode === 'M_FORBIDDEN')) throw e;
    ctx.logger?.info({ roomId, userId, reason: e.message }, 'room upgrade: could not clear the old canonical alias');
  }
}
