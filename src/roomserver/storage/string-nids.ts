/**
 * The event-type and state-key dictionaries: each distinct string gets a NID once, and state
 * blocks and the membership table carry only the integers. Lookups are batched and cached.
 */
import { sql } from 'kysely';
import { chunkSize, inChunks } from '../../internal/sqlutil/in-chunks.js';
import type { NidKind, StorageContext } from './storage-context.js';

const COLUMNS: Record<NidKind, { table: string; nid: string; value: string }> = {
  type: { table: 'roomserver_event_types', nid: 'event_type_nid', value: 'event_type' },
  stateKey: { table: 'roomserver_event_state_keys', nid: 'event_state_key_nid', value: 'event_state_key' },
};

interface NidRow {
  nid: number;
  value: string;
}

/** The NIDs of those of `values` that have one (absent from the map when not). */
export async function lookupNids(ctx: StorageContext, kind: NidKind, values: Iterable<string>): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const missing: string[] = [];
  for (const v of new Set(values)) {
    const nid = ctx.caches.byValue[kind].get(v);
    if (nid === undefined) missing.push(v);
    else found.set(v, nid);
  }
  await selectByValue(ctx, kind, missing, found);
  return found;
}

/** The NIDs of all `values`, creating those that are new. */
export async function assignNids(ctx: StorageContext, kind: NidKind, values: Iterable<string>): Promise<Map<string, number>> {
  const found = await lookupNids(ctx, kind, values);
  const missing = [...new Set(values)].filter((v) => !found.has(v));
  if (missing.length === 0) return found;
  const c = COLUMNS[kind];
  for (const chunk of inChunks(missing, chunkSize(ctx.caps))) {
    // DO NOTHING: on PostgreSQL another writer may have added the same string meanwhile.
    await sql`INSERT INTO ${sql.table(c.table)} (${sql.ref(c.value)}) VALUES ${sql.join(chunk.map((v) => sql`(${v})`))}
      ON CONFLICT (${sql.ref(c.value)}) DO NOTHING`.execute(ctx.db);
  }
  await selectByValue(ctx, kind, missing, found);
  return found;
}

/** The strings of `nids` (all must exist). */
export async function nidValues(ctx: StorageContext, kind: NidKind, nids: Iterable<number>): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const missing: number[] = [];
  for (const n of new Set(nids)) {
    const v = ctx.caches.byNid[kind].get(n);
    if (v === undefined) missing.push(n);
    else found.set(n, v);
  }
  const c = COLUMNS[kind];
  for (const chunk of inChunks(missing, chunkSize(ctx.caps))) {
    const { rows } = await sql<NidRow>`SELECT ${sql.ref(c.nid)} AS nid, ${sql.ref(c.value)} AS value FROM ${sql.table(c.table)}
      WHERE ${sql.ref(c.nid)} IN (${sql.join(chunk)})`.execute(ctx.db);
    for (const r of rows) {
      found.set(r.nid, r.value);
      ctx.learn(kind, r.value, r.nid);
    }
  }
  return found;
}

async function selectByValue(ctx: StorageContext, kind: NidKind, values: readonly string[], into: Map<string, number>): Promise<void> {
  const c = COLUMNS[kind];
  for (const chunk of inChunks(values, chunkSize(ctx.caps))) {
    const { rows } = await sql<NidRow>`SELECT ${sql.ref(c.nid)} AS nid, ${sql.ref(c.value)} AS value FROM ${sql.table(c.table)}
      WHERE ${sql.ref(c.value)} IN (${sql.join(chunk)})`.execute(ctx.db);
    for (const r of rows) {
      into.set(r.value, r.nid);
      ctx.learn(kind, r.value, r.nid);
    }
  }
}
