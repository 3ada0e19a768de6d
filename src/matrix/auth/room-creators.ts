/**
 * Who created the room, per room version: `content.creator` of `m.room.create` in v1–v10, its
 * `sender` from v11, plus `content.additional_creators` in v12 where creators have infinite power.
 */
import type { RoomEvent } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';

/**
 * The creator the first-join rule ("the only previous event is an `m.room.create` and the
 * `state_key` is the creator") and the no-power-levels default (creator = 100) refer to.
 */
export function primaryCreator(create: RoomEvent, rv: RoomVersion): string | undefined {
  if (!rv.createHasCreator) return create.sender;
  const creator = create.content.creator;
  return typeof creator === 'string' ? creator : undefined;
}

/**
 * Every room creator: the primary creator, and in versions with privileged creators (v12) the
 * string entries of `additional_creators` (the create rule already rejected malformed lists).
 */
export function roomCreators(create: RoomEvent, rv: RoomVersion): ReadonlySet<string> {
  const out = new Set<string>();
  const primary = primaryCreator(create, rv);
  if (primary !== undefined) out.add(primary);
  if (rv.privilegedCreators) {
    const extra = create.content.additional_creators;
    if (Array.isArray(extra)) {
      for (const id of extra) if (typeof id === 'string') out.add(id);
    }
  }
  return out;
}
