/**
 * Which thread an event is in, as far as the event itself says (spec, receipts module "Threaded
 * read receipts"): an `m.thread` relation names the thread root; another relation (a reaction,
 * an edit, a reference) puts the event in its parent's thread, so the parent must be looked at;
 * no relation means the main timeline, thread roots included (v1.19: a root is not in the thread
 * branching from it). A relation to something that is no event ID counts as none.
 */
import { isJsonObject, type JsonObject } from './json.js';

/** The thread ID of the main timeline, as receipts and notification counts name it. */
export const MAIN_THREAD = 'main';

/** `{threadId}` when the event alone tells, `{relatesTo}` (the parent) when its parent's thread is its own. */
export type ThreadLink = { readonly threadId: string } | { readonly relatesTo: string };

/** Most relations followed to find an event's thread (the spec recommends 3). */
export const MAX_THREAD_HOPS = 3;

/** What `event`'s `m.relates_to` says of its thread. */
export function threadLinkOf(event: JsonObject): ThreadLink {
  const content = isJsonObject(event.content) ? event.content : undefined;
  const rel = content && isJsonObject(content['m.relates_to']) ? content['m.relates_to'] : undefined;
  if (!rel || typeof rel.event_id !== 'string' || !rel.event_id.startsWith('$') || typeof rel.rel_type !== 'string') return { threadId: MAIN_THREAD };
  return rel.rel_type === 'm.thread' ? { threadId: rel.event_id } : { relatesTo: rel.event_id };
}
