/**
 * How an accepted event moves the room's head. When it follows every forward extremity (the
 * usual case) the new current state is simply the state after it, which storage computes. When
 * other extremities remain (a fork), the current state is the resolution of the states after
 * each remaining extremity and after the event.
 */
import { stateMapKey, type RoomEvent } from '../../matrix/room-event.js';
import type { HeadUpdate, RoomInfo } from '../storage/index.js';
import { resolveStates, stateChanges } from './resolve-states.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * The head update for `event`, given the room before it and the state before it (`stateBefore`,
 * or the state after `afterEvent` in storage).
 */
export async function roomHeadUpdate(
  ctx: RoomserverInternalContext,
  room: RoomInfo | undefined,
  event: RoomEvent,
  stateBefore: { readonly state?: ReadonlyMap<string, string>; readonly afterEvent?: string },
): Promise<HeadUpdate> {
  const prevs = new Set(event.prevEvents);
  const others = room?.hasState ? room.forwardExtremities.filter((id) => !prevs.has(id)) : [];
  if (others.length === 0) return {};
  const before = stateBefore.state ?? (stateBefore.afterEvent !== undefined ? await ctx.storage.getState({ afterEvent: stateBefore.afterEvent }) : new Map<string, string>());
  const after = new Map(before);
  if (event.stateKey !== undefined) after.set(stateMapKey(event.type, event.stateKey), event.eventId);
  const sets = await Promise.all(others.map((id) => ctx.storage.getState({ afterEvent: id })));
  const resolved = await resolveStates(ctx, event.roomVersion, [...sets.filter((s) => s !== undefined), after]);
  return { currentState: { base: { afterEvent: event.eventId }, changes: stateChanges(after, resolved) } };
}
