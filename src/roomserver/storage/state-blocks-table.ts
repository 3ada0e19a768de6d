/**
 * State blocks: immutable, content-addressed lists of state entries. A snapshot is a list of
 * blocks, so snapshots that differ in one key share every other block.
 */
import { createHash } from 'node:crypto';
import { chunkSize, inChunks } from '../../internal/sqlutil/in-chunks.js';
import type { StorageContext } from './storage-context.js';
import type { StateEntry } from './state-entry.js';

/** The flat `[type, key, event, …]` JSON of sorted entries. */
export function encodeBlock(entries: readonly StateEntry[]): string {
  const flat: number[] = [];
  for (const e of entries) flat.push(e.typeNid, e.stateKeyNid, e.eventNid);
  return JSON.stringify(flat);
}

function decodeBlock(text: string): StateEntry[] {
  const flat = JSON.parse(text) as number[];
  const out: StateEntry[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) out.push({ typeNid: flat[i]!, stateKeyNid: flat[i + 1]!, eventNid: flat[i + 2]! });
  return out;
}

function hashOf(encoded: string): string {
  return createHash('sha256').update(encoded).digest('base64');
}

/**
 * Stores blocks (each already sorted and non-empty) and returns their NIDs in order; a block
 * whose content is already stored gets the existing NID.
 */
export async function storeBlocks(ctx: StorageContext, blocks: readonly (readonly StateEntry[])[]): Promise<number[]> {
  const encoded = blocks.map(encodeBlock);
  const hashes = encoded.map(hashOf);
  const nids = new Map<string, number>();
  const rows = new Map<string, { hash: string; entries: string; entry_count: number }>();
  hashes.forEach((hash, i) => rows.set(hash, { hash, entries: encoded[i]!, entry_count: blocks[i]!.length }));
  for (const chunk of inChunks([...rows.values()], chunkSize(ctx.caps, 3))) {
    const inserted = await ctx.db
      .insertInto('roomserver_state_blocks')
      .values(chunk)
      .onConflict((oc) => oc.column('hash').doNothing())
      .returning(['state_block_nid', 'hash'])
      .execute();
    for (const r of inserted) nids.set(r.hash, r.state_block_nid);
  }
  const existing = [...rows.keys()].filter((h) => !nids.has(h));
  for (const chunk of inChunks(existing, chunkSize(ctx.caps))) {
    const found = await ctx.db.selectFrom('roomserver_state_blocks').select(['state_block_nid', 'hash']).where('hash', 'in', chunk).execute();
    for (const r of found) nids.set(r.hash, r.state_block_nid);
  }
  return hashes.map((h, i) => {
    const nid = nids.get(h);
    if (nid === undefined) throw new Error(`state block ${h} was neither inserted nor found`);
    ctx.caches.blocks.set(nid, blocks[i]!);
    return nid;
  });
}

/** The entries of each block NID (0, the empty bucket, maps to no entries). */
export async function loadBlocks(ctx: StorageContext, blockNids: Iterable<number>): Promise<Map<number, readonly StateEntry[]>> {
  const out = new Map<number, readonly StateEntry[]>();
  const missing: number[] = [];
  for (const nid of new Set(blockNids)) {
    if (nid === 0) {
      out.set(0, []);
      continue;
    }
    const cached = ctx.caches.blocks.get(nid);
    if (cached) out.set(nid, cached);
    else missing.push(nid);
  }
  for (const chunk of inChunks(missing, chunkSize(ctx.caps))) {
    const rows = await ctx.db.selectFrom('roomserver_state_blocks').select(['state_block_nid', 'entries']).where('state_block_nid', 'in', chunk).execute();
    for (const r of rows) {
      const entries = decodeBlock(r.entries);
      ctx.caches.blocks.set(r.state_block_nid, entries);
      out.set(r.state_block_nid, entries);
    }
  }
  for (const nid of missing) if (!out.has(nid)) throw new Error(`state block ${nid} is missing`);
  return out;
}
