/**
 * The power-level view of a room's state with the spec's defaults (event schema of
 * `m.room.power_levels`): levels come from the current `m.room.power_levels` event; with none, the
 * room creator has 100 (v1–v11) and everyone else 0; in v12 creators have infinite power always.
 */
import type { JsonObject, JsonValue } from '../json.js';
import { isJsonObject } from '../json.js';
import type { RoomEvent } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';
import type { AuthStateLookup } from './auth-state-lookup.js';
import { powerLevelValue } from './power-level-value.js';
import { primaryCreator, roomCreators } from './room-creators.js';

/** The content of an `m.room.power_levels` event, parsed, with the spec's defaults filled in. */
export interface PowerLevels {
  /** Whether these come from an event (some defaults differ when the room has none). */
  readonly fromEvent: boolean;
  /** `users`: explicit levels; entries whose value is invalid for the room version are skipped. */
  readonly users: ReadonlyMap<string, number>;
  /** `users_default`, default 0. */
  readonly usersDefault: number;
  /** `events`: level required per event type. */
  readonly events: ReadonlyMap<string, number>;
  /** `events_default`, default 0. */
  readonly eventsDefault: number;
  /** `state_default`, default 50 (also when there is no power-levels event). */
  readonly stateDefault: number;
  /** `ban`, default 50. */
  readonly ban: number;
  /** `kick`, default 50. */
  readonly kick: number;
  /** `redact`, default 50. */
  readonly redact: number;
  /** `invite`, default 0. */
  readonly invite: number;
  /** `notifications`: level per notification key; `room` defaults to 50. */
  readonly notifications: ReadonlyMap<string, number>;
}

/** The named top-level levels, in the order the power-levels auth rule lists them. */
export const NAMED_LEVELS = [
  'users_default',
  'events_default',
  'state_default',
  'ban',
  'redact',
  'kick',
  'invite',
] as const;

/**
 * Parses power-levels content for a room version (numeric strings in v1–v9, truncated floats in
 * v1–v5). A value the version does not accept counts as absent, so its default applies; the auth
 * rule for `m.room.power_levels` events is what rejects malformed content where the spec says so.
 */
export function parsePowerLevels(content: JsonObject | undefined, rv: RoomVersion): PowerLevels {
  const c = content ?? {};
  const level = (key: string, dflt: number): number => powerLevelValue(c[key], rv) ?? dflt;
  const notifications = parseLevelMap(c.notifications, rv);
  if (!notifications.has('room')) notifications.set('room', 50);
  return {
    fromEvent: content !== undefined,
    users: parseLevelMap(c.users, rv),
    usersDefault: level('users_default', 0),
    events: parseLevelMap(c.events, rv),
    eventsDefault: level('events_default', 0),
    stateDefault: level('state_default', 50),
    ban: level('ban', 50),
    kick: level('kick', 50),
    redact: level('redact', 50),
    invite: level('invite', 0),
    notifications,
  };
}

/** A `users`/`events`/`notifications` map; entries the room version does not accept are skipped. */
export function parseLevelMap(v: JsonValue | undefined, rv: RoomVersion): Map<string, number> {
  const out = new Map<string, number>();
  if (!isJsonObject(v)) return out;
  for (const [k, raw] of Object.entries(v)) {
    const n = powerLevelValue(raw, rv);
    if (n !== undefined) out.set(k, n);
  }
  return out;
}

/**
 * Parsed content per power-levels event. State resolution checks many events against the same
 * power levels, and a big room's `users` map is worth parsing once; events are immutable, so
 * the event object is the key (and the entry goes with it).
 */
const parsedByEvent = new WeakMap<RoomEvent, { readonly rv: RoomVersion; readonly levels: PowerLevels }>();

function cachedPowerLevels(ev: RoomEvent, rv: RoomVersion): PowerLevels {
  const hit = parsedByEvent.get(ev);
  if (hit?.rv === rv) return hit.levels;
  const levels = parsePowerLevels(ev.content, rv);
  parsedByEvent.set(ev, { rv, levels });
  return levels;
}

/** The power levels of a room's state together with who its creators are. */
export interface RoomPowerLevels {
  readonly levels: PowerLevels;
  /** The room creators (empty when the state has no `m.room.create`). */
  readonly creators: ReadonlySet<string>;
  /** A user's power level; `Infinity` for v12 creators. */
  userLevel(userId: string): number;
  /** The level needed to send an event of this type (`events`, else state/events default). */
  requiredLevel(eventType: string, isState: boolean): number;
}

/** Builds the power-level view of the state behind `lookup`. */
export function roomPowerLevels(lookup: AuthStateLookup, rv: RoomVersion): RoomPowerLevels {
  const plEvent = lookup('m.room.power_levels', '');
  const levels = plEvent ? cachedPowerLevels(plEvent, rv) : parsePowerLevels(undefined, rv);
  const create = lookup('m.room.create', '');
  const creators = create ? roomCreators(create, rv) : new Set<string>();
  const primary = create ? primaryCreator(create, rv) : undefined;
  return {
    levels,
    creators,
    userLevel(userId) {
      if (rv.privilegedCreators && creators.has(userId)) return Infinity;
      if (levels.fromEvent) return levels.users.get(userId) ?? levels.usersDefault;
      // v1–v11 without power levels: the creator has 100 (v12 creators were answered above).
      return userId === primary ? 100 : 0;
    },
    requiredLevel(eventType, isState) {
      return levels.events.get(eventType) ?? (isState ? levels.stateDefault : levels.eventsDefault);
    },
  };
}

/**
 * Power-level view of a room's state, with the spec's defaults when no m.room.power_levels exists,
 * creators' power in v1–v11 (creator = 100 default when no PL event), and v12's infinite creator
 * power (`Infinity`).
 */
export function userPowerLevel(userId: string, lookup: AuthStateLookup, rv: RoomVersion): number {
  return roomPowerLevels(lookup, rv).userLevel(userId);
}

/**
 * The *required power level* for sending an event of `eventType`: its entry in `events`, else
 * `state_default` (50) for state events or `events_default` (0) for others.
 */
export function requiredPowerLevel(
  eventType: string,
  isState: boolean,
  lookup: AuthStateLookup,
  rv: RoomVersion,
): number {
  return roomPowerLevels(lookup, rv).requiredLevel(eventType, isState);
}
