/**
 * `performRemoveRoomAlias`: deletes one of this server's aliases. Allowed to the user who made
 * it, to server admins, and to room members who may change the room's canonical alias (the
 * spec leaves the access check to servers; this is what Synapse and Dendrite allow). An alias
 * removed from the directory is also dropped from `m.room.canonical_alias`, so the room stops
 * advertising an alias that no longer resolves.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { roomPowerLevels } from '../../matrix/auth/power-levels.js';
import type { JsonObject } from '../../matrix/json.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { PerformRemoveRoomAliasRequest, PerformRemoveRoomAliasResponse } from '../api.js';
import { authStateAt } from './auth-state.js';
import { performSendEvents } from './perform-send-events.js';
import { checkLocalAlias } from './perform-set-room-alias.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Removes the alias; `removed: false` when it did not exist. */
export async function performRemoveRoomAlias(ctx: RoomserverInternalContext, req: PerformRemoveRoomAliasRequest): Promise<PerformRemoveRoomAliasResponse> {
  checkLocalAlias(ctx, req.alias);
  const found = await ctx.storage.getRoomAlias(req.alias);
  if (!found) return { removed: false };
  const mayEditCanonical = await maySetCanonicalAlias(ctx, found.roomId, req.userId);
  if (!(req.isAdmin === true || found.creatorId === req.userId || mayEditCanonical)) {
    throw MatrixError.forbidden('You may not remove this alias');
  }
  const removed = await ctx.storage.removeRoomAlias(req.alias);
  if (removed && mayEditCanonical) await dropFromCanonicalAlias(ctx, found.roomId, req.alias, req.userId);
  return { removed };
}

/** Whether the user is joined and has the power to send `m.room.canonical_alias`. */
export async function maySetCanonicalAlias(ctx: RoomserverInternalContext, roomId: string, userId: string): Promise<boolean> {
  const room = await ctx.storage.getRoomInfo(roomId);
  if (!room?.hasState) return false;
  if ((await ctx.storage.getMembership(roomId, userId))?.membership !== 'join') return false;
  const rv = roomVersion(room.roomVersion);
  const auth = await authStateAt(ctx, { currentOf: roomId }, { type: 'm.room.canonical_alias', stateKey: '', sender: userId, content: {} }, rv);
  if (!auth) return false;
  const power = roomPowerLevels(auth.lookup, rv);
  return power.userLevel(userId) >= power.requiredLevel('m.room.canonical_alias', true);
}

async function dropFromCanonicalAlias(ctx: RoomserverInternalContext, roomId: string, alias: string, userId: string): Promise<void> {
  const [current] = (await ctx.storage.getStateEvents({ currentOf: roomId }, { tuples: [['m.room.canonical_alias', '']] })) ?? [];
  if (!current) return;
  const content = (JSON.parse(current.json) as { content?: JsonObject }).content ?? {};
  const alt = Array.isArray(content.alt_aliases) ? content.alt_aliases : undefined;
  if (content.alias !== alias && !alt?.includes(alias)) return;
  const next: Record<string, JsonObject[string]> = { ...content };
  if (next.alias === alias) delete next.alias;
  if (alt) next.alt_aliases = alt.filter((a) => a !== alias);
  await performSendEvents(ctx, { events: [{ roomId, type: 'm.room.canonical_alias', stateKey: '', sender: userId, content: next }] });
}
