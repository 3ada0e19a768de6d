/**
 * What every auth rule needs about one check, computed once: the event, its room version, the
 * create event, the power-level view and membership/join-rule accessors over the auth state.
 */
import type { RoomEvent } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';
import type { AuthStateLookup } from './auth-state-lookup.js';
import type { RoomPowerLevels } from './power-levels.js';
import { roomPowerLevels } from './power-levels.js';

/** The inputs of one auth check, shared by the per-rule modules. */
export interface AuthContext {
  readonly event: RoomEvent;
  readonly rv: RoomVersion;
  readonly lookup: AuthStateLookup;
  /** The room's `m.room.create` event (the check refuses the event before this exists without one). */
  readonly create: RoomEvent;
  readonly power: RoomPowerLevels;
  /** The user's current `membership`, or `undefined` when they have no valid member event. */
  membershipOf(userId: string): string | undefined;
  /**
   * The current join rule. With no `m.room.join_rules` event (or no `join_rule` in it) this is
   * `invite`, as Synapse and other servers treat it; the spec leaves that case unstated.
   */
  joinRule(): string | undefined;
}

/** Builds the context for checking `event` against the state behind `lookup`. */
export function authContext(event: RoomEvent, lookup: AuthStateLookup, create: RoomEvent): AuthContext {
  const rv = event.roomVersion;
  return {
    event,
    rv,
    lookup,
    create,
    power: roomPowerLevels(lookup, rv),
    membershipOf(userId) {
      const m = lookup('m.room.member', userId)?.content.membership;
      return typeof m === 'string' ? m : undefined;
    },
    joinRule() {
      const ev = lookup('m.room.join_rules', '');
      if (!ev || !('join_rule' in ev.content)) return 'invite';
      const rule = ev.content.join_rule;
      return typeof rule === 'string' ? rule : undefined;
    },
  };
}
