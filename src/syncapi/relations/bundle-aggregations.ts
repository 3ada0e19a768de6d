/**
 * Bundled aggregations (spec, "Aggregations of child events"): the `unsigned.m.relations` of
 * events served to a client, for a whole batch at once — a sync response's timelines, a
 * `/messages` or `/context` page, a `/relations` or `/threads` chunk — in a fixed number of
 * storage reads whatever the batch's size (`relation-summaries.ts`), never a read per event.
 *
 * - `m.thread`: `{latest_event, count, current_user_participated}`; the latest reply is served as
 *   the event itself would be, with its own edits and references bundled (a second batch for all
 *   the latest replies together, and no deeper: thread replies cannot start threads).
 * - `m.replace` (spec v1.7+): the most recent valid edit event itself; the original's content is
 *   left alone. None for a redacted original.
 * - `m.reference`: `{chunk: [{event_id}]}`.
 *
 * `m.annotation` is not aggregated (the spec says so). State events get no bundle (spec warning).
 * Events without children are served untouched, so they keep the stored-JSON fast path.
 *
 * What the requester may not see stays out (`BundleOptions`): children from another room never
 * count (storage), nor, for a user who left, children from after their leave (`before`); and the
 * children a bundle shows whole — edits, latest thread replies — are checked against history
 * visibility in one call per batch (`hiddenOf`), a hidden one taking its part of the bundle with
 * it (a thread summary without its latest reply would describe replies the user cannot have).
 * The IDs of `m.reference` children within those bounds are not checked one by one.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { RelationSummary, SyncEvent, SyncStorage, TopologicalPoint } from '../storage/index.js';
import { isRawJson, rawText } from '../sync/raw-json.js';
import type { ResponseEvent } from '../sync/sync-response.js';

/** What bundling reads. */
export type BundleStorage = Pick<SyncStorage, 'relationSummaries'>;

/** Options of {@link bundleAggregations}. */
export interface BundleOptions {
  /** Users the requester ignores: their children count for nothing (spec, "Ignoring users"). */
  readonly ignoredUsers?: readonly string[];
  /** Children at or after this point of the room's topological order count for nothing (a left user's leave). */
  readonly before?: TopologicalPoint;
  /** The IDs of those of `events` the requester may not see (history visibility); called once per batch. */
  readonly hiddenOf?: (events: readonly SyncEvent[]) => Promise<ReadonlySet<string>>;
}

/**
 * The `m.relations` object of each event of `events` that has bundled children, by event ID, as
 * `userId` sees it (`current_user_participated`).
 */
export async function bundleAggregations(
  storage: BundleStorage,
  events: readonly SyncEvent[],
  userId: string,
  options: BundleOptions = {},
): Promise<Map<string, JsonObject>> {
  const read: SummaryRead = { userId, ignored: options.ignoredUsers ?? [], before: options.before };
  const found = await summariesOf(storage, events, read);
  if (found.size === 0) return new Map();
  const latest = [...found.values()].flatMap((s) => (s.thread ? [s.thread.latest] : []));
  const foundLatest = await summariesOf(storage, latest, read);
  const shown = [...found.values(), ...foundLatest.values()].flatMap((s) => [...(s.thread ? [s.thread.latest] : []), ...(s.edit ? [s.edit] : [])]);
  const hidden = options.hiddenOf && shown.length > 0 ? await options.hiddenOf(shown) : NOTHING_HIDDEN;
  const summaries = withoutHidden(found, hidden);
  const latestSummaries = withoutHidden(foundLatest, hidden);

  const serveReply = (reply: SyncEvent): JsonObject => {
    const served = JSON.parse(reply.json) as JsonObject;
    // The latest reply's own bundle: edits and references only (see the file comment).
    const inner = latestSummaries.get(reply.eventId);
    const own = inner && relationsObject(inner, undefined);
    return own && Object.keys(own).length > 0 ? withRelations(served, own) : served;
  };
  const out = new Map<string, JsonObject>();
  for (const e of events) {
    const s = summaries.get(e.eventId);
    // The sender of the root participates in its thread, replies or not.
    if (s) out.set(e.eventId, relationsObject(s, { serveReply, participated: s.thread?.userReplied === true || e.sender === userId }));
  }
  return out;
}

/**
 * `served` (an event as a response carries it) with `relations` as its `unsigned.m.relations`;
 * `served` itself, still stored JSON text, when there are none.
 */
export function withBundledRelations(served: JsonObject, relations: JsonObject | undefined): JsonObject;
export function withBundledRelations(served: ResponseEvent, relations: JsonObject | undefined): ResponseEvent;
export function withBundledRelations(served: ResponseEvent, relations: JsonObject | undefined): ResponseEvent {
  if (relations === undefined) return served;
  const ev = isRawJson(served) ? (JSON.parse(rawText(served)) as JsonObject) : served;
  return withRelations(ev, relations);
}

/** Whose summaries, without which children. */
interface SummaryRead {
  readonly userId: string;
  readonly ignored: readonly string[];
  readonly before: TopologicalPoint | undefined;
}

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

function summariesOf(storage: BundleStorage, events: readonly SyncEvent[], read: SummaryRead): Promise<Map<string, RelationSummary>> {
  const parents = events.filter((e) => e.stateKey === null).map((e) => ({ eventId: e.eventId, roomId: e.roomId }));
  return parents.length === 0 ? Promise.resolve(new Map()) : storage.relationSummaries(parents, read.userId, read.ignored, read.before);
}

/** The summaries without the edits and threads whose shown event is hidden (see the file comment). */
function withoutHidden(summaries: Map<string, RelationSummary>, hidden: ReadonlySet<string>): Map<string, RelationSummary> {
  if (hidden.size === 0) return summaries;
  const out = new Map<string, RelationSummary>();
  for (const [eventId, s] of summaries) {
    const thread = s.thread && !hidden.has(s.thread.latest.eventId) ? s.thread : undefined;
    const edit = s.edit && !hidden.has(s.edit.eventId) ? s.edit : undefined;
    if (thread || edit || s.references) out.set(eventId, { ...(thread && { thread }), ...(edit && { edit }), ...(s.references && { references: s.references }) });
  }
  return out;
}

/** How a thread is shown: its latest reply rendered, and whether the user took part. */
interface ThreadView {
  readonly serveReply: (reply: SyncEvent) => JsonObject;
  readonly participated: boolean;
}

/** The `m.relations` object of one summary; without `thread`, no `m.thread` part. */
function relationsObject(s: RelationSummary, thread: ThreadView | undefined): JsonObject {
  const out: JsonObject = {};
  if (s.thread && thread) out['m.thread'] = { latest_event: thread.serveReply(s.thread.latest), count: s.thread.count, current_user_participated: thread.participated };
  if (s.edit) out['m.replace'] = JSON.parse(s.edit.json) as JsonObject;
  if (s.references) out['m.reference'] = { chunk: s.references.map((eventId) => ({ event_id: eventId })) };
  return out;
}

function withRelations(ev: JsonObject, relations: JsonObject): JsonObject {
  const unsigned = isJsonObject(ev.unsigned) ? ev.unsigned : {};
  return { ...ev, unsigned: { ...unsigned, 'm.relations': relations } };
}
