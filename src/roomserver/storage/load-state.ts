/**
 * Reading states: the snapshot at a point (before/after an event, or the room's current one),
 * whole or filtered to some types or keys, in the public `StateMap` form.
 */
import type { StateKeyTuple } from '../../matrix/room-event.js';
import { selectEventRefs } from './events-table.js';
import { roomHead } from './rooms-table.js';
import type { StatePoint } from './state-input.js';
import { entriesToStateMap, entryFilter } from './state-maps.js';
import { loadEntries } from './state-snapshots-table.js';
import type { StorageContext } from './storage-context.js';

/** Which entries of a state to read; absent fields select nothing, an absent filter everything. */
export interface StateFilter {
  /** Every entry of these event types (e.g. `['m.room.member']`). */
  readonly types?: readonly string[];
  /** These exact `(type, state_key)` keys; only the blocks holding them are read. */
  readonly tuples?: readonly StateKeyTuple[];
}

/** The snapshot NID at `point`; undefined when the room or event is unknown, or an outlier. */
export async function snapshotAt(ctx: StorageContext, point: StatePoint): Promise<number | undefined> {
  if ('currentOf' in point) return (await roomHead(ctx, point.currentOf))?.snapshotNid;
  const id = 'afterEvent' in point ? point.afterEvent : point.beforeEvent;
  const ref = (await selectEventRefs(ctx, [id])).get(id);
  if (!ref || ref.outlier) return undefined;
  return 'afterEvent' in point ? ref.stateAfterNid : ref.stateBeforeNid;
}

/** The state at `point` (see {@link snapshotAt} for undefined), optionally filtered. */
export async function loadState(ctx: StorageContext, point: StatePoint, filter?: StateFilter): Promise<Map<string, string> | undefined> {
  const nid = await snapshotAt(ctx, point);
  if (nid === undefined) return undefined;
  const entries = await loadEntries(ctx, nid, filter && (await entryFilter(ctx, filter)));
  return entriesToStateMap(ctx, entries);
}
