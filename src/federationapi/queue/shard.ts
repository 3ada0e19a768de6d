/**
 * Which sender instance owns a destination. Several federation senders split the destinations
 * between them (DESIGN §7) by hashing the name: each instance consumes every output message but
 * queues and sends only for its own destinations, so one destination's transactions are never
 * sent by two processes at once and the split needs no coordination. Changing `count` moves
 * destinations between instances: stop all senders before changing it, or a moved
 * destination's persisted queue waits until its new owner restarts.
 */

/** This instance's share: destinations whose hash modulo `count` is `index`. */
export interface ShardSpec {
  /** 0-based, below `count`. */
  readonly index: number;
  /** How many sender instances share the destinations (≥ 1). */
  readonly count: number;
}

/** FNV-1a (32-bit) of the UTF-8 bytes of `s`: stable across processes, versions and machines. */
export function fnv1a32(s: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Whether this instance sends to `destination` (always, without sharding). */
export function ownsDestination(destination: string, shard: ShardSpec | undefined): boolean {
  if (shard === undefined || shard.count <= 1) return true;
  return fnv1a32(destination) % shard.count === shard.index;
}

/** Throws on a shard that can own nothing or that overlaps others. */
export function checkShard(shard: ShardSpec | undefined): void {
  if (shard === undefined) return;
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`federation sender shard ${index}/${count}: need integers 0 ≤ index < count`);
  }
}
