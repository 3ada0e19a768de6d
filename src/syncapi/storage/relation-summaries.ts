/**
 * What bundled aggregations need of `syncapi_relations` for a batch of parents, in at most three
 * statements (per chunk) whatever the batch's size:
 *
 * 1. per parent and `rel_type`, the number of children and whether the user sent one — for most
 *    batches (no event has children) this is the only statement;
 * 2. for parents with thread replies or edits, the latest of each, with its event: a `UNION ALL`
 *    of one index seek per parent. An edit counts only when valid against its original: same
 *    sender and type, the original neither a state event, nor redacted, nor an edit itself;
 * 3. for parents with references, the referencing event IDs.
 *
 * Children in another room than their parent are not relations (spec: such relationships are
 * ignored), nor are children from ignored users. With a `before` point, children at or after it
 * in the room's topological order are left out too: a user who left sees nothing from after it.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { TopologicalPoint } from './output-room-events-topology.js';
import { SYNC_EVENT_COLUMNS, toSyncEvent, type SyncEvent } from './output-room-events-table.js';
import { chunkSize, inChunks, ROOMS_PER_UNION, type SyncDb } from './sync-db.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** An event whose children are summarised. */
export interface RelationParent {
  readonly eventId: string;
  readonly roomId: string;
}

/** The aggregation inputs of one parent (each part absent when it has no such child). */
export interface RelationSummary {
  readonly thread?: {
    /** Thread replies. */
    readonly count: number;
    /** Whether the user sent one of them (sending the root counts too, which the caller knows). */
    readonly userReplied: boolean;
    /** The topologically latest reply. */
    readonly latest: SyncEvent;
  };
  /** The most recent valid edit (by `origin_server_ts`, then event ID). */
  readonly edit?: SyncEvent;
  /** Events referencing the parent, in topological order. */
  readonly references?: readonly string[];
}

const BUNDLED = ['m.thread', 'm.replace', 'm.reference'];
const EVENT_COLUMNS = SYNC_EVENT_COLUMNS.map((c) => `e.${c}` as const);

interface Group {
  count: number;
  mine: boolean;
}

/**
 * The summaries of the parents that have bundled children; `ignoredUsers`' children are left out,
 * and with `before`, those at or after that point.
 */
export async function selectRelationSummaries(
  t: SyncDb,
  parents: readonly RelationParent[],
  userId: string,
  ignoredUsers: readonly string[],
  before?: TopologicalPoint,
): Promise<Map<string, RelationSummary>> {
  const children: ChildBounds = { ignored: ignoredUsers, before };
  const groups = await selectGroups(t, parents, userId, children);
  const withRel = (rel: string) => parents.filter((p) => groups.has(`${p.eventId}\u0000${rel}`));
  const threads = withRel('m.thread');
  const edits = withRel('m.replace');
  const refs = withRel('m.reference');
  const latest = await selectLatestChildren(t, threads, edits, children);
  const references = refs.length > 0 ? await selectReferences(t, refs, children) : new Map<string, string[]>();

  const out = new Map<string, RelationSummary>();
  for (const p of parents) {
    const g = groups.get(`${p.eventId}\u0000m.thread`);
    const reply = latest.get(`${p.eventId}\u0000m.thread`);
    const thread = g && reply ? { count: g.count, userReplied: g.mine, latest: reply } : undefined;
    const edit = latest.get(`${p.eventId}\u0000m.replace`);
    const refIds = references.get(p.eventId);
    if (thread || edit || refIds) out.set(p.eventId, { ...(thread && { thread }), ...(edit && { edit }), ...(refIds && { references: refIds }) });
  }
  return out;
}

/** Which children count: not those of ignored users, nor those at or after `before`. */
interface ChildBounds {
  readonly ignored: readonly string[];
  readonly before: TopologicalPoint | undefined;
}

/** Parameters the bounds bind, to keep within a statement's limit. */
function boundParams(b: ChildBounds): number {
  return b.ignored.length + (b.before ? 2 : 0);
}

/** Children counts per `parent\0rel_type`, for children in their parent's room. */
async function selectGroups(t: SyncDb, parents: readonly RelationParent[], userId: string, bounds: ChildBounds): Promise<Map<string, Group>> {
  const { ignored, before } = bounds;
  const roomOf = new Map(parents.map((p) => [p.eventId, p.roomId]));
  const out = new Map<string, Group>();
  const size = Math.max(1, chunkSize(t.caps) - boundParams(bounds));
  for (const chunk of inChunks([...roomOf.keys()], size)) {
    const rows = await t.db
      .selectFrom('syncapi_relations')
      .select(['relates_to', 'rel_type', 'room_id'])
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max(eb.case().when('sender', '=', userId).then(1).else(0).end()).as('mine')])
      .where('relates_to', 'in', chunk)
      .where('rel_type', 'in', BUNDLED)
      .$if(ignored.length > 0, (b) => b.where('sender', 'not in', ignored))
      .$call((b) => (before ? b.where((eb) => eb(eb.refTuple('depth', 'position'), '<', eb.tuple(before.depth, before.position))) : b))
      .groupBy(['relates_to', 'rel_type', 'room_id'])
      .execute();
    for (const r of rows) {
      if (roomOf.get(r.relates_to) !== r.room_id) continue;
      out.set(`${r.relates_to}\u0000${r.rel_type}`, { count: Number(r.count), mine: Number(r.mine) === 1 });
    }
  }
  return out;
}

type ChildQuery = SelectQueryBuilder<
  SyncapiTables & { r: SyncapiTables['syncapi_relations']; e: SyncapiTables['syncapi_output_room_events']; p: SyncapiTables['syncapi_output_room_events'] },
  'r' | 'e' | 'p',
  object
>;

/** The latest thread reply and the latest valid edit of each parent, by `parent\0rel_type`. */
async function selectLatestChildren(
  t: SyncDb,
  threads: readonly RelationParent[],
  edits: readonly RelationParent[],
  { ignored, before }: ChildBounds,
): Promise<Map<string, SyncEvent>> {
  const out = new Map<string, SyncEvent>();
  const wanted = [...threads.map((p) => ({ p, rel: 'm.thread' })), ...edits.map((p) => ({ p, rel: 'm.replace' }))];
  for (const chunk of inChunks(wanted, ROOMS_PER_UNION)) {
    const parts = chunk.map(({ p, rel }, i) => {
      let q = t.db
        .selectFrom('syncapi_relations as r')
        .innerJoin('syncapi_output_room_events as e', 'e.id', 'r.position')
        .innerJoin('syncapi_output_room_events as p', 'p.event_id', 'r.relates_to')
        .where('r.relates_to', '=', p.eventId)
        .where('r.rel_type', '=', rel)
        .where('r.room_id', '=', p.roomId)
        .whereRef('p.room_id', '=', 'r.room_id')
        .$if(ignored.length > 0, (b) => b.where('r.sender', 'not in', ignored))
        .$call((b) => (before ? b.where((eb) => eb(eb.refTuple('r.depth', 'r.position'), '<', eb.tuple(before.depth, before.position))) : b)) as ChildQuery;
      q = rel === 'm.thread' ? q.orderBy('r.depth', 'desc').orderBy('r.position', 'desc') : validEdits(q).orderBy('r.origin_server_ts', 'desc').orderBy('r.event_id', 'desc');
      return t.db
        .selectFrom(
          q
            .select([...EVENT_COLUMNS, 'r.relates_to as parent_id', 'r.rel_type as rel_type'])
            .limit(1)
            .as(`c${i}`),
        )
        .selectAll();
    });
    let q = parts[0]!;
    for (const part of parts.slice(1)) q = q.unionAll(part);
    for (const r of await q.execute()) out.set(`${r.parent_id}\u0000${r.rel_type}`, toSyncEvent(r));
  }
  return out;
}

/** The spec's validity of a replacement against its original (the edit's own shape was checked when stored). */
function validEdits(q: ChildQuery): ChildQuery {
  return q
    .whereRef('r.sender', '=', 'p.sender')
    .whereRef('r.type', '=', 'p.type')
    .where('p.state_key', 'is', null)
    .where('p.redacted', '=', 0)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('syncapi_relations as pr').select('pr.event_id').whereRef('pr.event_id', '=', 'p.event_id').where('pr.rel_type', '=', 'm.replace'),
        ),
      ),
    );
}

/** The IDs of the events referencing each parent, in topological order. */
async function selectReferences(t: SyncDb, parents: readonly RelationParent[], bounds: ChildBounds): Promise<Map<string, string[]>> {
  const { ignored, before } = bounds;
  const roomOf = new Map(parents.map((p) => [p.eventId, p.roomId]));
  const out = new Map<string, string[]>();
  const size = Math.max(1, chunkSize(t.caps) - boundParams(bounds));
  for (const chunk of inChunks([...roomOf.keys()], size)) {
    const rows = await t.db
      .selectFrom('syncapi_relations')
      .select(['relates_to', 'event_id', 'room_id'])
      .where('relates_to', 'in', chunk)
      .where('rel_type', '=', 'm.reference')
      .$if(ignored.length > 0, (b) => b.where('sender', 'not in', ignored))
      .$call((b) => (before ? b.where((eb) => eb(eb.refTuple('depth', 'position'), '<', eb.tuple(before.depth, before.position))) : b))
      .orderBy('depth')
      .orderBy('position')
      .execute();
    for (const r of rows) {
      if (roomOf.get(r.relates_to) !== r.room_id) continue;
      const list = out.get(r.relates_to) ?? [];
      list.push(r.event_id);
      out.set(r.relates_to, list);
    }
  }
  return out;
}
