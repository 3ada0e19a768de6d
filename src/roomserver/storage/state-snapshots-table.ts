/**
 * State snapshots: a room state as one block NID per hash bucket. A change rewrites only the
 * blocks of the buckets it touches and shares the rest with its parent, so storage grows with
 * the number of state changes, not with state size × events.
 */
import { createHash } from 'node:crypto';
import { loadBlocks, storeBlocks } from './state-blocks-table.js';
import { bucketOf, compareEntries, entryAt, entryKey, idealBucketCount, type StateEntry } from './state-entry.js';
import type { StorageContext } from './storage-context.js';

/** A stored snapshot; NID 0 is the empty state. */
export interface Snapshot {
  readonly nid: number;
  /** One block NID per bucket (0 = empty); the length, a power of two, is the bucket count. */
  readonly blockNids: readonly number[];
  readonly entryCount: number;
}

const EMPTY: Snapshot = { nid: 0, blockNids: [], entryCount: 0 };

/** The snapshot row of `nid` (cached: snapshots never change). */
export async function loadSnapshot(ctx: StorageContext, nid: number): Promise<Snapshot> {
  if (nid === 0) return EMPTY;
  const cached = ctx.caches.snapshots.get(nid);
  if (cached) return cached;
  const row = await ctx.db
    .selectFrom('roomserver_state_snapshots')
    .select(['block_nids', 'entry_count'])
    .where('state_snapshot_nid', '=', nid)
    .executeTakeFirst();
  if (!row) throw new Error(`state snapshot ${nid} is missing`);
  const snap: Snapshot = { nid, blockNids: JSON.parse(row.block_nids) as number[], entryCount: row.entry_count };
  ctx.caches.snapshots.set(nid, snap);
  return snap;
}

/** Stores the state made of `entries` (one per key) as a snapshot of the room; its NID. */
export async function snapshotFromEntries(ctx: StorageContext, roomNid: number, entries: readonly StateEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const buckets = idealBucketCount(entries.length);
  const grouped: StateEntry[][] = Array.from({ length: buckets }, () => []);
  for (const e of entries) grouped[bucketOf(e.typeNid, e.stateKeyNid, buckets)]!.push(e);
  const filled = grouped.map((g, i) => [g.sort(compareEntries), i] as const).filter(([g]) => g.length > 0);
  const nids = await storeBlocks(ctx, filled.map(([g]) => g));
  const blockNids = new Array<number>(buckets).fill(0);
  filled.forEach(([, bucket], i) => (blockNids[bucket] = nids[i]!));
  return insertSnapshot(ctx, roomNid, blockNids, entries.length);
}

/**
 * The snapshot of `parentNid` with `changes` applied (`entryKey` → new entry, or null to remove
 * the key); its NID (the parent's own when nothing changed). Only the touched buckets are read
 * and written, unless the state grew or shrank so much that the bucket count is re-chosen.
 */
export async function snapshotWithChanges(
  ctx: StorageContext,
  roomNid: number,
  parentNid: number,
  changes: ReadonlyMap<number, StateEntry | null>,
): Promise<number> {
  if (changes.size === 0) return parentNid;
  const parent = await loadSnapshot(ctx, parentNid);
  const buckets = parent.blockNids.length;
  if (buckets === 0) return snapshotFromEntries(ctx, roomNid, [...changes.values()].filter((e) => e !== null));
  const touched = new Map<number, Map<number, StateEntry | null>>();
  for (const [key, entry] of changes) {
    const { typeNid, stateKeyNid } = entryAt(key, 0);
    const bucket = bucketOf(typeNid, stateKeyNid, buckets);
    let m = touched.get(bucket);
    if (!m) touched.set(bucket, (m = new Map()));
    m.set(key, entry);
  }
  const blocks = await loadBlocks(ctx, [...touched.keys()].map((b) => parent.blockNids[b]!));
  let count = parent.entryCount;
  const rewritten: Array<[bucket: number, entries: StateEntry[]]> = [];
  for (const [bucket, bucketChanges] of touched) {
    const current = new Map(blocks.get(parent.blockNids[bucket]!)!.map((e) => [entryKey(e.typeNid, e.stateKeyNid), e]));
    let changed = false;
    for (const [key, entry] of bucketChanges) {
      const old = current.get(key);
      if (entry === null ? old === undefined : old?.eventNid === entry.eventNid) continue;
      changed = true;
      count += (entry === null ? -1 : 0) + (old === undefined ? 1 : 0);
      if (entry === null) current.delete(key);
      else current.set(key, entry);
    }
    if (changed) rewritten.push([bucket, [...current.values()].sort(compareEntries)]);
  }
  if (rewritten.length === 0) return parentNid;
  const ideal = idealBucketCount(count);
  if (ideal > buckets * 2 || ideal * 2 < buckets) {
    const all = await loadEntries(ctx, parentNid);
    const merged = new Map(all.map((e) => [entryKey(e.typeNid, e.stateKeyNid), e]));
    for (const [key, entry] of changes) {
      if (entry === null) merged.delete(key);
      else merged.set(key, entry);
    }
    return snapshotFromEntries(ctx, roomNid, [...merged.values()]);
  }
  const nonEmpty = rewritten.filter(([, entries]) => entries.length > 0);
  const nids = await storeBlocks(ctx, nonEmpty.map(([, entries]) => entries));
  const blockNids = [...parent.blockNids];
  for (const [bucket] of rewritten) blockNids[bucket] = 0;
  nonEmpty.forEach(([bucket], i) => (blockNids[bucket] = nids[i]!));
  return insertSnapshot(ctx, roomNid, blockNids, count);
}

/** A filter on the keys of a state: whole types and/or single keys (by NID). */
export interface EntryFilter {
  /** Every entry of these event types. */
  readonly typeNids?: ReadonlySet<number>;
  /** These exact keys (`entryKey`); only the blocks of their buckets are read. */
  readonly keys?: ReadonlySet<number>;
}

/** The entries of a snapshot, all or those matching `filter`. */
export async function loadEntries(ctx: StorageContext, snapshotNid: number, filter?: EntryFilter): Promise<StateEntry[]> {
  const snap = await loadSnapshot(ctx, snapshotNid);
  const buckets = snap.blockNids.length;
  let blockNids: readonly number[] = snap.blockNids;
  if (filter && !filter.typeNids && filter.keys) {
    const wanted = new Set([...filter.keys].map((k) => entryAt(k, 0)).map((e) => bucketOf(e.typeNid, e.stateKeyNid, buckets)));
    blockNids = [...wanted].map((b) => snap.blockNids[b] ?? 0);
  }
  const blocks = await loadBlocks(ctx, blockNids);
  const out: StateEntry[] = [];
  for (const nid of new Set(blockNids)) {
    for (const e of blocks.get(nid)!) {
      if (!filter || filter.typeNids?.has(e.typeNid) || filter.keys?.has(entryKey(e.typeNid, e.stateKeyNid))) out.push(e);
    }
  }
  return out;
}

/** The difference between two snapshots. */
export interface SnapshotDiff {
  /** Entries of the new state whose key is new or points to another event. */
  readonly added: StateEntry[];
  /** Entries of the old state whose key points to another event in the new one. */
  readonly replaced: StateEntry[];
  /** Entries of the old state whose key is gone. */
  readonly removed: StateEntry[];
}

/** What changed from `fromNid` to `toNid`; blocks both share are skipped without being read. */
export async function diffSnapshots(ctx: StorageContext, fromNid: number, toNid: number): Promise<SnapshotDiff> {
  if (fromNid === toNid) return { added: [], replaced: [], removed: [] };
  const [from, to] = await Promise.all([loadSnapshot(ctx, fromNid), loadSnapshot(ctx, toNid)]);
  let fromBlocks: readonly number[] = from.blockNids;
  let toBlocks: readonly number[] = to.blockNids;
  if (from.blockNids.length === to.blockNids.length) {
    const differ = from.blockNids.map((_, i) => i).filter((i) => from.blockNids[i] !== to.blockNids[i]);
    fromBlocks = differ.map((i) => from.blockNids[i]!);
    toBlocks = differ.map((i) => to.blockNids[i]!);
  }
  const blocks = await loadBlocks(ctx, [...fromBlocks, ...toBlocks]);
  const collect = (nids: readonly number[]) => {
    const m = new Map<number, StateEntry>();
    for (const nid of nids) for (const e of blocks.get(nid)!) m.set(entryKey(e.typeNid, e.stateKeyNid), e);
    return m;
  };
  const before = collect(fromBlocks);
  const after = collect(toBlocks);
  const diff: SnapshotDiff = { added: [], replaced: [], removed: [] };
  for (const [k, e] of after) {
    const old = before.get(k);
    if (old?.eventNid === e.eventNid) continue;
    diff.added.push(e);
    if (old) diff.replaced.push(old);
  }
  for (const [k, e] of before) if (!after.has(k)) diff.removed.push(e);
  return diff;
}

async function insertSnapshot(ctx: StorageContext, roomNid: number, blockNids: readonly number[], entryCount: number): Promise<number> {
  const encoded = JSON.stringify(blockNids);
  const hash = createHash('sha256').update(encoded).digest('base64');
  // The same state reached twice (a resolution landing on an earlier state) reuses its snapshot.
  const existing = await ctx.db
    .selectFrom('roomserver_state_snapshots')
    .select('state_snapshot_nid')
    .where('room_nid', '=', roomNid)
    .where('hash', '=', hash)
    .executeTakeFirst();
  if (existing) return existing.state_snapshot_nid;
  const row = await ctx.db
    .insertInto('roomserver_state_snapshots')
    .values({ room_nid: roomNid, hash, block_nids: encoded, entry_count: entryCount })
    .returning('state_snapshot_nid')
    .executeTakeFirstOrThrow();
  ctx.caches.snapshots.set(row.state_snapshot_nid, { nid: row.state_snapshot_nid, blockNids, entryCount });
  return row.state_snapshot_nid;
}
