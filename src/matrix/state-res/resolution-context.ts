/**
 * Per-call memoised access to events and the facts every step of state resolution asks about
 * them (auth events by key, sender power, the power-levels parent), so a large resolution reads
 * each event's `auth_events` once instead of once per step.
 */
import { roomPowerLevels, type RoomPowerLevels } from '../auth/power-levels.js';
import { stateMapKey, type RoomEvent } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';

/** The state map key of `m.room.power_levels`. */
export const POWER_LEVELS_KEY = stateMapKey('m.room.power_levels', '');
/** The state map key of `m.room.create`. */
export const CREATE_KEY = stateMapKey('m.room.create', '');

/** What one resolution call knows; created by {@link createResolutionContext}. */
export interface ResolutionContext {
  /** The rules of the room being resolved. */
  readonly roomVersion: RoomVersion;
  /** The event with this ID; throws when the caller's loader doesn't have it. */
  event(eventId: string): RoomEvent;
  /** The event with this ID, or `undefined` when the loader doesn't have it. */
  maybeEvent(eventId: string): RoomEvent | undefined;
  /**
   * The event's auth events by state key, with missing ones left out. For rooms whose events
   * don't cite `m.room.create` (v12), the create event named by the room ID is added.
   * `usable` also leaves out rejected auth events, as the iterative auth checks require.
   */
  authEventsByKey(event: RoomEvent, usable: boolean): ReadonlyMap<string, RoomEvent>;
  /** The sender's power level according to the event's own auth events. */
  senderPower(event: RoomEvent): number;
  /** The `m.room.power_levels` event among the event's auth events, if any. */
  powerLevelsParent(event: RoomEvent): RoomEvent | undefined;
}

/** What {@link createResolutionContext} needs from the caller. */
export interface ResolutionContextInput {
  /** The room's version. */
  readonly roomVersion: RoomVersion;
  /** Loads an event by ID (each is asked for at most once per context). */
  readonly getEvent: (eventId: string) => RoomEvent | undefined;
  /** Whether an event was rejected; by default none is. */
  readonly isRejected?: (eventId: string) => boolean;
}

/** Builds the memoised context for one resolution call. */
export function createResolutionContext(input: ResolutionContextInput): ResolutionContext {
  const rv = input.roomVersion;
  const loaded = new Map<string, RoomEvent | null>();
  const byKeyAll = new Map<string, ReadonlyMap<string, RoomEvent>>();
  const byKeyUsable = new Map<string, ReadonlyMap<string, RoomEvent>>();
  const power = new Map<string, number>();
  const levelsByEvents = new Map<string, RoomPowerLevels>();
  const plParent = new Map<string, RoomEvent | null>();
  const rejected = input.isRejected ?? (() => false);

  const maybeEvent = (id: string): RoomEvent | undefined => {
    let e = loaded.get(id);
    if (e === undefined) {
      e = input.getEvent(id) ?? null;
      loaded.set(id, e);
    }
    return e ?? undefined;
  };

  const buildByKey = (event: RoomEvent, usable: boolean): Map<string, RoomEvent> => {
    const m = new Map<string, RoomEvent>();
    for (const id of event.authEvents) {
      const a = maybeEvent(id);
      if (a === undefined || a.stateKey === undefined) continue;
      if (usable && rejected(id)) continue;
      m.set(stateMapKey(a.type, a.stateKey), a);
    }
    if (rv.createEventNotInAuthEvents && !m.has(CREATE_KEY)) {
      const createId = createEventIdForRoom(event.roomId);
      const create = maybeEvent(createId);
      if (create !== undefined && create.eventId !== event.eventId && !(usable && rejected(createId))) {
        m.set(CREATE_KEY, create);
      }
    }
    return m;
  };

  const ctx: ResolutionContext = {
    roomVersion: rv,
    maybeEvent,
    event(id) {
      const e = maybeEvent(id);
      if (e === undefined) throw new Error(`state resolution: event ${id} is not available`);
      return e;
    },
    authEventsByKey(event, usable) {
      const cache = usable ? byKeyUsable : byKeyAll;
      let m = cache.get(event.eventId);
      if (m === undefined) {
        m = buildByKey(event, usable);
        cache.set(event.eventId, m);
      }
      return m;
    },
    senderPower(event) {
      let p = power.get(event.eventId);
      if (p === undefined) {
        // Levels depend only on the power levels and create events, which most events share;
        // parsing a large `users` map once per event would dominate big resolutions.
        const byKey = ctx.authEventsByKey(event, false);
        const cacheKey = `${byKey.get(POWER_LEVELS_KEY)?.eventId ?? ''}\u0000${byKey.get(CREATE_KEY)?.eventId ?? ''}`;
        let levels = levelsByEvents.get(cacheKey);
        if (levels === undefined) {
          levels = roomPowerLevels((t, k) => byKey.get(stateMapKey(t, k)), rv);
          levelsByEvents.set(cacheKey, levels);
        }
        p = levels.userLevel(event.sender);
        power.set(event.eventId, p);
      }
      return p;
    },
    powerLevelsParent(event) {
      let p = plParent.get(event.eventId);
      if (p === undefined) {
        p = null;
        // The first one listed, as the mainline walk in the spec assumes there is only one.
        for (const id of event.authEvents) {
          const a = maybeEvent(id);
          if (a !== undefined && a.type === 'm.room.power_levels' && a.stateKey === '') {
            p = a;
            break;
          }
        }
        plParent.set(event.eventId, p);
      }
      return p ?? undefined;
    },
  };
  return ctx;
}

/** v12: the create event's ID is the room ID with the `$` sigil instead of `!`. */
function createEventIdForRoom(roomId: string): string {
  return `$${roomId.slice(1)}`;
}
