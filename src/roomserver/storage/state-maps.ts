/**
 * Converting between the public form of a state (`stateMapKey(type, state_key)` → event ID) and
 * the stored form (NID entries), in batches.
 */
import { splitStateKey, stateMapKey, type StateKeyTuple } from '../../matrix/room-event.js';
import { selectEventIdsByNid } from './events-table.js';
import { entryKey, type StateEntry } from './state-entry.js';
import type { EntryFilter } from './state-snapshots-table.js';
import type { StorageContext } from './storage-context.js';
import { assignNids, lookupNids, nidValues } from './string-nids.js';

/** The public state map of `entries`. */
export async function entriesToStateMap(ctx: StorageContext, entries: readonly StateEntry[]): Promise<Map<string, string>> {
  const [types, keys, events] = await Promise.all([
    nidValues(ctx, 'type', entries.map((e) => e.typeNid)),
    nidValues(ctx, 'stateKey', entries.map((e) => e.stateKeyNid)),
    selectEventIdsByNid(ctx, entries.map((e) => e.eventNid)),
  ]);
  const out = new Map<string, string>();
  for (const e of entries) out.set(stateMapKey(types.get(e.typeNid)!, keys.get(e.stateKeyNid)!), events.get(e.eventNid)!);
  return out;
}

/** The `(type NID, state-key NID)` keys of public state-map keys, assigning NIDs to new strings. */
export async function assignEntryKeys(ctx: StorageContext, mapKeys: Iterable<string>): Promise<Map<string, number>> {
  const split = [...mapKeys].map((k) => [k, ...splitStateKey(k)] as const);
  const [types, keys] = await Promise.all([
    assignNids(ctx, 'type', split.map(([, t]) => t)),
    assignNids(ctx, 'stateKey', split.map(([, , s]) => s)),
  ]);
  return new Map(split.map(([k, t, s]) => [k, entryKey(types.get(t)!, keys.get(s)!)]));
}

/** A public filter (whole types and/or single keys) in NID form; keys never stored can't match and are dropped. */
export async function entryFilter(
  ctx: StorageContext,
  filter: { readonly types?: readonly string[]; readonly tuples?: readonly StateKeyTuple[] },
): Promise<EntryFilter> {
  const tuples = filter.tuples ?? [];
  const [types, keys] = await Promise.all([
    lookupNids(ctx, 'type', [...(filter.types ?? []), ...tuples.map(([t]) => t)]),
    lookupNids(ctx, 'stateKey', tuples.map(([, s]) => s)),
  ]);
  const keySet = new Set<number>();
  for (const [t, s] of tuples) {
    const tn = types.get(t);
    const sn = keys.get(s);
    if (tn !== undefined && sn !== undefined) keySet.add(entryKey(tn, sn));
  }
  const out: { typeNids?: Set<number>; keys?: Set<number> } = { keys: keySet };
  if (filter.types) out.typeNids = new Set(filter.types.flatMap((t) => types.get(t) ?? []));
  return out;
}
