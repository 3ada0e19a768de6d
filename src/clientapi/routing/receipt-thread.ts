/**
 * The check a threaded read receipt needs (spec: 400 M_INVALID_PARAM when "the `event_id` is not
 * related to the `thread_id`"): the receipt's event must be in the thread it names — `main` for
 * an event on the main timeline (thread roots included), a root's ID for an event in that thread.
 * An event's thread is read from its relation, following up to {@link MAX_THREAD_HOPS} relations
 * through the roomserver; when a parent is unknown here or the chain is longer, the thread
 * cannot be told and the receipt is accepted rather than refused on a guess.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { MAX_THREAD_HOPS, threadLinkOf } from '../../matrix/thread-link.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';

/** The thread of `event` in `roomId`, or undefined when it cannot be told. */
export async function threadOfEvent(roomserver: Pick<ClientRoomserverAPI, 'queryEvents'>, roomId: string, event: JsonObject): Promise<string | undefined> {
  let link = threadLinkOf(event);
  for (let hop = 0; hop < MAX_THREAD_HOPS && 'relatesTo' in link; hop++) {
    const { events } = await roomserver.queryEvents({ eventIds: [link.relatesTo] });
    const parent = events.find((e) => e.roomId === roomId && !e.rejected);
    if (!parent) return undefined;
    link = threadLinkOf(parent.event);
  }
  return 'threadId' in link ? link.threadId : undefined;
}

/** Throws 400 M_INVALID_PARAM when `event` is known to be in another thread than `threadId`. */
export async function checkReceiptThread(
  roomserver: Pick<ClientRoomserverAPI, 'queryEvents'>,
  roomId: string,
  eventId: string,
  event: JsonObject,
  threadId: string,
): Promise<void> {
  const actual = await threadOfEvent(roomserver, roomId, event);
  if (actual !== undefined && actual !== threadId) {
    throw MatrixError.invalidParam(`Event ${eventId} is not in thread ${threadId} (it is in ${actual === 'main' ? 'the main timeline' : `thread ${actual}`})`);
  }
}
