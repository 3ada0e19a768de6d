/**
 * The states before many events at once, filtered: history visibility reads a few keys at each
 * event of a page, and consecutive messages share one snapshot, so each distinct snapshot is read
 * once and its map shared by every event standing on it.
 */
import { selectEventRefs } from './events-table.js';
import type { StateFilter } from './load-state.js';
import { entriesToStateMap, entryFilter } from './state-maps.js';
import { loadEntries } from './state-snapshots-table.js';
import type { StorageContext } from './storage-context.js';

/**
 * Event ID → the state before it (`stateMapKey(type, state_key)` → event ID), filtered; unknown
 * events and outliers (which have no state) are absent.
 */
export async function loadStatesBefore(ctx: StorageContext, eventIds: readonly string[], filter: StateFilter): Promise<Map<string, ReadonlyMap<string, string>>> {
  const [refs, nidFilter] = await Promise.all([selectEventRefs(ctx, eventIds), entryFilter(ctx, filter)]);
  const bySnapshot = new Map<number, Promise<ReadonlyMap<string, string>>>();
  const out = new Map<string, ReadonlyMap<string, string>>();
  await Promise.all(
    [...refs.values()].map(async (ref) => {
      if (ref.outlier) return;
      let state = bySnapshot.get(ref.stateBeforeNid);
      if (!state) {
        state = loadEntries(ctx, ref.stateBeforeNid, nidFilter).then((entries) => entriesToStateMap(ctx, entries));
        bySnapshot.set(ref.stateBeforeNid, state);
      }
      out.set(ref.eventId, await state);
    }),
  );
  return out;
}
