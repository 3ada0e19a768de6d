/** Sizes of the state tables: how far snapshot deduplication keeps storage from state × events. */
import type { StorageContext } from './storage-context.js';

/** Row and entry counts of the state storage. */
export interface StateStorageStats {
  readonly snapshots: number;
  readonly blocks: number;
  /** Entries over all stored blocks (what a table of one row per entry would hold). */
  readonly blockEntries: number;
  /** Entries over all snapshots if each stored its full state (the Synapse-style cost avoided). */
  readonly undedupedEntries: number;
}

/** Counts the rows of the state tables. */
export async function countStateRows(ctx: StorageContext): Promise<StateStorageStats> {
  const snaps = await ctx.db
    .selectFrom('roomserver_state_snapshots')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('entry_count').as('entries')])
    .executeTakeFirstOrThrow();
  const blocks = await ctx.db
    .selectFrom('roomserver_state_blocks')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('entry_count').as('entries')])
    .executeTakeFirstOrThrow();
  return {
    snapshots: Number(snaps.n),
    blocks: Number(blocks.n),
    blockEntries: Number(blocks.entries ?? 0),
    undedupedEntries: Number(snaps.entries ?? 0),
  };
}
