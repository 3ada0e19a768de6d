/**
 * State resolution v1 (room version 1). See the spec's rooms/v1.md ("State resolution").
 *
 * The spec's text leaves details open; they follow Synapse, whose behaviour defines v1 in
 * practice: conflicted `m.room.member` keys are each resolved against the state as it stood after
 * the power levels and join rules (not against each other's results), and when no event for an
 * "other" key passes auth, the one with the lowest depth (the last in its order) is kept.
 */
import { createHash } from 'node:crypto';
import { checkEventAuth } from '../auth/check-event-auth.js';
import { splitStateKey, stateMapKey, type RoomEvent, type StateMap } from '../room-event.js';
import { POWER_LEVELS_KEY, type ResolutionContext } from './resolution-context.js';
import { separateStateSets } from './separate-state-sets.js';

/** Resolves `stateSets` with the room version 1 algorithm. */
export function resolveStateV1(ctx: ResolutionContext, stateSets: readonly StateMap[]): Map<string, string> {
  const { unconflicted, conflicted } = separateStateSets(stateSets, 'v1');
  if (conflicted.size === 0) return unconflicted;

  const r = unconflicted;
  const eventsFor = (ids: ReadonlySet<string>): RoomEvent[] => [...ids].map((id) => ctx.event(id));

  const pl = conflicted.get(POWER_LEVELS_KEY);
  if (pl !== undefined) r.set(POWER_LEVELS_KEY, resolveAuthKey(ctx, POWER_LEVELS_KEY, eventsFor(pl), r));
  for (const type of ['m.room.join_rules', 'm.room.member']) {
    const picks = new Map<string, string>();
    for (const [key, ids] of conflicted) {
      if (splitStateKey(key)[0] === type) picks.set(key, resolveAuthKey(ctx, key, eventsFor(ids), r));
    }
    for (const [key, id] of picks) r.set(key, id);
  }
  const picks = new Map<string, string>();
  for (const [key, ids] of conflicted) {
    const type = splitStateKey(key)[0];
    if (type === 'm.room.power_levels' && key === POWER_LEVELS_KEY) continue;
    if (type === 'm.room.join_rules' || type === 'm.room.member') continue;
    picks.set(key, resolveOtherKey(ctx, eventsFor(ids), r));
  }
  for (const [key, id] of picks) r.set(key, id);
  return r;
}

/**
 * Power levels, join rules and members: oldest first (ascending depth, then descending
 * `sha1(event_id)`), take the first, then each next one while it passes auth in a state where
 * this key holds the previous pick.
 */
function resolveAuthKey(
  ctx: ResolutionContext,
  key: string,
  events: readonly RoomEvent[],
  r: ReadonlyMap<string, string>,
): string {
  const ordered = orderNewestFirst(events).reverse();
  let prev = ordered[0] as RoomEvent;
  for (const event of ordered.slice(1)) {
    const current = prev;
    const lookup = (type: string, stateKey: string): RoomEvent | undefined => {
      const k = stateMapKey(type, stateKey);
      if (k === key) return current;
      const id = r.get(k);
      return id === undefined ? undefined : ctx.maybeEvent(id);
    };
    if (!checkEventAuth(event, lookup).allowed) break;
    prev = event;
  }
  return prev.eventId;
}

/** Any other key: the newest (highest depth, then lowest `sha1(event_id)`) that passes auth. */
function resolveOtherKey(ctx: ResolutionContext, events: readonly RoomEvent[], r: ReadonlyMap<string, string>): string {
  const lookup = (type: string, stateKey: string): RoomEvent | undefined => {
    const id = r.get(stateMapKey(type, stateKey));
    return id === undefined ? undefined : ctx.maybeEvent(id);
  };
  const ordered = orderNewestFirst(events);
  for (const event of ordered) {
    if (checkEventAuth(event, lookup).allowed) return event.eventId;
  }
  return (ordered[ordered.length - 1] as RoomEvent).eventId;
}

/** Descending depth, then ascending SHA-1 of the event ID (hex). */
function orderNewestFirst(events: readonly RoomEvent[]): RoomEvent[] {
  const keyed = events.map((e) => ({ e, sha: createHash('sha1').update(e.eventId, 'utf8').digest('hex') }));
  keyed.sort((a, b) => b.e.depth - a.e.depth || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
  return keyed.map((k) => k.e);
}
