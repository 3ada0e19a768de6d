/**
 * State resolution: the state of a room where its DAG forks, computed from the states of the
 * branches. Room version 1 uses v1, versions 2–11 use v2 and version 12 uses v2.1 (the room
 * version table's `stateRes` field says which). Pure and synchronous: every event it needs comes
 * from `getEvent`, which the caller backs with events already loaded.
 *
 * Rejected events are the caller's concern. Events rejected for failing auth against their own
 * auth chain must never be in a state set (so they can't be reached). Events rejected against
 * the state before them may be, and are resolved like any other event (re-checked, and kept if
 * they now pass, as the spec says; Synapse skips them instead); pass `isRejected` so the
 * iterative auth checks don't fall back on a rejected auth event, as the spec requires.
 */
import type { RoomEvent, StateMap } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';
import { createResolutionContext } from './resolution-context.js';
import { resolveStateV1 } from './resolve-state-v1.js';
import { resolveStateV2 } from './resolve-state-v2.js';

/** What {@link resolveState} resolves. */
export interface StateResInput {
  /** The room's version; its `stateRes` field picks the algorithm and its auth rules apply. */
  readonly roomVersion: RoomVersion;
  /** The state sets to resolve (each a StateMap: stateMapKey(type, key) -> event ID). */
  readonly stateSets: readonly StateMap[];
  /**
   * Loads events by ID. Every conflicted event of the state sets must be available, and in
   * practice all of their events and auth chains should be; auth chain events that aren't are
   * left out of the resolution (and so may change its result).
   */
  readonly getEvent: (eventId: string) => RoomEvent | undefined;
  /**
   * Optional precomputed auth chains per state set (full auth chain IDs), to avoid walking the
   * DAG. Each set's own events count as part of its chain whether listed here or not.
   */
  readonly authChains?: readonly ReadonlySet<string>[];
  /** Whether an event was rejected; by default none is. */
  readonly isRejected?: (eventId: string) => boolean;
}

/**
 * Resolves `input.stateSets` into one state map (`stateMapKey` → event ID), dispatching on
 * `input.roomVersion.stateRes`. Throws if a conflicted event can't be loaded, or if the auth
 * events form a cycle. No state sets resolve to the empty state.
 *
 * @example
 * const state = resolveState({ roomVersion: roomVersion('11'), stateSets: [a, b], getEvent });
 */
export function resolveState(input: StateResInput): Map<string, string> {
  if (input.stateSets.length === 0) return new Map();
  const ctx = createResolutionContext(input);
  const algorithm = input.roomVersion.stateRes;
  switch (algorithm) {
    case 'v1':
      return resolveStateV1(ctx, input.stateSets);
    case 'v2':
      return resolveStateV2(ctx, input.stateSets, false, input.authChains);
    case 'v2.1':
      return resolveStateV2(ctx, input.stateSets, true, input.authChains);
    default: {
      const unknown: never = algorithm;
      throw new Error(`state resolution: unknown algorithm ${String(unknown)}`);
    }
  }
}
