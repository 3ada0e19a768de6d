/**
 * Splits state sets into the unconflicted state map and the conflicted state set.
 * The two algorithms disagree on keys missing from some sets: v2 (and v2.1) calls a key
 * unconflicted only when *every* set has it with the same event; v1 only looks for sets that
 * disagree, so a key present in just some sets is unconflicted.
 */
import type { StateMap } from '../room-event.js';

/** The result of {@link separateStateSets}. */
export interface SeparatedState {
  /** `stateMapKey` → the event every set agrees on. */
  readonly unconflicted: Map<string, string>;
  /** `stateMapKey` → the distinct events the sets hold for it (missing entries not counted). */
  readonly conflicted: Map<string, Set<string>>;
}

/** Splits `stateSets` per the rules of state resolution `mode`. */
export function separateStateSets(stateSets: readonly StateMap[], mode: 'v1' | 'v2'): SeparatedState {
  const unconflicted = new Map<string, string>();
  const conflicted = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const set of stateSets) {
    for (const key of set.keys()) {
      if (seen.has(key)) continue;
      seen.add(key);
      let first: string | undefined;
      let distinct: Set<string> | undefined;
      let missing = false;
      for (const other of stateSets) {
        const id = other.get(key);
        if (id === undefined) {
          missing = true;
        } else if (first === undefined) {
          first = id;
        } else if (id !== first) {
          distinct ??= new Set([first]);
          distinct.add(id);
        }
      }
      if (first === undefined) continue;
      if (distinct !== undefined) conflicted.set(key, distinct);
      else if (missing && mode === 'v2') conflicted.set(key, new Set([first]));
      else unconflicted.set(key, first);
    }
  }
  return { unconflicted, conflicted };
}
