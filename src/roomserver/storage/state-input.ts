/**
 * How callers describe a state to persist, without snapshot NIDs: a base (the state before or
 * after a stored event) plus changes, or a full map (changes over the empty state). The common
 * case, "after my single prev event, plus nothing", shares every block with that event's state.
 */
import type { EventRef } from './events-table.js';
import { assignEntryKeys } from './state-maps.js';
import { snapshotWithChanges } from './state-snapshots-table.js';
import { entryAt, type StateEntry } from './state-entry.js';
import type { StorageContext } from './storage-context.js';

/** A point in a room's history whose state can be read or built upon. */
export type StatePoint =
  | { readonly afterEvent: string }
  | { readonly beforeEvent: string }
  /** The room's current state. */
  | { readonly currentOf: string };

/** What a {@link StateInput} starts from. */
export type StateBase =
  | { readonly afterEvent: string }
  | { readonly beforeEvent: string }
  /** The room's current state (a local send's state before, even where the room has forked). */
  | { readonly current: true };

/** A state to persist. */
export interface StateInput {
  /** What to start from: the state before or after a stored event, or the current state. Absent: the empty state. */
  readonly base?: StateBase;
  /** `stateMapKey(type, state_key)` → event ID to set, or null to remove the key. */
  readonly changes?: ReadonlyMap<string, string | null>;
}

/** The event IDs `input` refers to (to fetch them in the write path's one batched read). */
export function stateInputEventIds(input: StateInput | undefined): string[] {
  if (!input) return [];
  const ids: string[] = [];
  if (input.base && !('current' in input.base)) ids.push('afterEvent' in input.base ? input.base.afterEvent : input.base.beforeEvent);
  for (const v of input.changes?.values() ?? []) if (v !== null) ids.push(v);
  return ids;
}

/**
 * The snapshot NID of `input` in the room (`snapshotNid`: its current state, as read in this
 * transaction). `refs` holds every event it names (see {@link stateInputEventIds}); a base event
 * must have state, a changed key's event must be stored.
 */
export async function persistStateInput(
  ctx: StorageContext,
  room: { readonly roomNid: number; readonly snapshotNid: number },
  input: StateInput,
  refs: ReadonlyMap<string, EventRef>,
): Promise<number> {
  const { roomNid } = room;
  let baseNid = 0;
  if (input.base && 'current' in input.base) {
    baseNid = room.snapshotNid;
  } else if (input.base) {
    const id = 'afterEvent' in input.base ? input.base.afterEvent : input.base.beforeEvent;
    const ref = refs.get(id);
    if (!ref || ref.outlier) throw new Error(`state base ${id} is not stored with state`);
    baseNid = 'afterEvent' in input.base ? ref.stateAfterNid : ref.stateBeforeNid;
  }
  if (!input.changes || input.changes.size === 0) return baseNid;
  const keys = await assignEntryKeys(ctx, input.changes.keys());
  const changes = new Map<number, StateEntry | null>();
  for (const [mapKey, eventId] of input.changes) {
    const key = keys.get(mapKey)!;
    if (eventId === null) {
      changes.set(key, null);
      continue;
    }
    const ref = refs.get(eventId);
    if (!ref) throw new Error(`state event ${eventId} is not stored`);
    changes.set(key, entryAt(key, ref.eventNid));
  }
  return snapshotWithChanges(ctx, roomNid, baseNid, changes);
}
