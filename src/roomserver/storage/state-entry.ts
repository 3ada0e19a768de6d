/**
 * One entry of a room state in storage form: which event holds `(type, state_key)`, all as NIDs.
 * Blocks keep entries sorted by (type NID, state-key NID) so two blocks with the same content
 * encode, and hash, identically.
 */

/** `(type NID, state-key NID) → event NID`. */
export interface StateEntry {
  readonly typeNid: number;
  readonly stateKeyNid: number;
  readonly eventNid: number;
}

/**
 * One number naming `(type NID, state-key NID)`, for maps and sets; exact while state-key NIDs
 * stay below 2^32 and type NIDs below 2^21.
 */
export function entryKey(typeNid: number, stateKeyNid: number): number {
  return typeNid * 2 ** 32 + stateKeyNid;
}

/** The entry for `key` (an {@link entryKey}) pointing to `eventNid`. */
export function entryAt(key: number, eventNid: number): StateEntry {
  const typeNid = Math.floor(key / 2 ** 32);
  return { typeNid, stateKeyNid: key - typeNid * 2 ** 32, eventNid };
}

/** Orders entries by type NID, then state-key NID. */
export function compareEntries(a: StateEntry, b: StateEntry): number {
  return a.typeNid - b.typeNid || a.stateKeyNid - b.stateKeyNid;
}

/**
 * The hash bucket of `(type NID, state-key NID)` among `bucketCount` (a power of two). A fixed
 * mixing function, so the bucket of a key is stable across snapshots and one changed key touches
 * exactly one block.
 */
export function bucketOf(typeNid: number, stateKeyNid: number, bucketCount: number): number {
  let h = Math.imul(typeNid, 0x9e3779b1) ^ stateKeyNid;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) & (bucketCount - 1);
}

/**
 * The bucket count for `entryCount` entries: the power of two nearest √n, which balances the
 * two costs of one change, rewriting one block (n / B entries) and one snapshot row (B NIDs).
 */
export function idealBucketCount(entryCount: number): number {
  if (entryCount <= 1) return 1;
  return 2 ** Math.round(Math.log2(Math.sqrt(entryCount)));
}
