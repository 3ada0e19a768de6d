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
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { RelationSummary, SyncEvent, SyncStorage } from '../storage/index.js';
import { isRawJson, rawText } from '../sync/raw-json.js';
import type { ResponseEvent } from '../sync/sync-response.js';

/** What bundling reads. */
export type BundleStorage = Pick<SyncStorage, 'relationSummaries'>;

/** Options of {@link bundleAggregations}. */
export interface BundleOptions {
  /** Users the requester ignores: their children count for nothing (spec, "Ignoring users"). */
  readonly ignoredUsers?: readonly string[];
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
  const ignored = options.ignoredUsers ?? [];
  const summaries = await summariesOf(storage, events, userId, ignored);
  if (summaries.size === 0) return new Map();
  const latest = [...summaries.values()].flatMap((s) => (s.thread ? [s.thread.latest] : []));
  const latestSummaries = await summariesOf(storage, latest, userId, ignored);

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

function summariesOf(storage: BundleStorage, events: readonly SyncEvent[], userId: string, ignored: readonly string[]): Promise<Map<string, RelationSummary>> {
  const parents = events.filter((e) => e.stateKey === null).map((e) => ({ eventId: e.eventId, roomId: e.roomId }));
  return parents.length === 0 ? Promise.resolve(new Map()) : storage.relationSummaries(parents, userId, ignored);
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
