/**
 * `GET /rooms/{roomId}/messages`: a page of a room's history in topological order, backwards or
 * forwards from a token, up to an optional `to` token.
 *
 * Tokens: `start` is the `from` given; without one, backwards starts from the present, named by
 * the sync token of the latest stream position (`s<pos>`), and forwards from the room's start
 * (`t0_0`). `end` is the point past the last event read, omitted once the range holds nothing
 * more (the room's start, the `to` token, the user's leave, or, forwards, the present).
 *
 * With `lazy_load_members`, `state` carries the membership events of the chunk's senders as they
 * stood at the chunk's latest event (every one, never skipping "redundant" ones, which the spec
 * allows: it only says a server *may* skip them).
 *
 * Events are served by `history-serving.ts`: bundled aggregations and the requester's
 * `unsigned.membership` for the whole chunk at once, the stored text spliced into the response.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { selectLazyMembers, type RoomEventFilter } from '../filter/index.js';
import type { SyncEvent } from '../storage/index.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { backfillBelow } from './backfill-below.js';
import { historyAccess, type HistoryDeps } from './history-access.js';
import type { ServedTo } from './history-event.js';
import { historyServing } from './history-serving.js';
import { paginateRoom } from './paginate-room.js';
import { encodePoint, resolveToken, ROOM_END, ROOM_START } from './topological-point.js';

/** Events per page when the client sets no limit (the spec's default). */
export const DEFAULT_MESSAGES_LIMIT = 10;
/** Most events per page whatever the client asks. */
export const MAX_MESSAGES_LIMIT = 1000;
/** Backfills one page may wait for before it answers with what it has. */
const MAX_BACKFILL_ROUNDS = 3;

/** One `/messages` request, its parameters parsed. */
export interface MessagesRequest {
  readonly roomId: string;
  readonly requester: ServedTo;
  readonly dir: 'b' | 'f';
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** Already capped at {@link MAX_MESSAGES_LIMIT}. */
  readonly limit: number;
  readonly filter: RoomEventFilter;
}

/** The response body; its events may be stored JSON text (write it with `stringifyWithRaw`). */
export interface MessagesResponse {
  readonly start: string;
  readonly end?: string;
  readonly chunk: ResponseEvent[];
  readonly state?: ResponseEvent[];
}

/**
 * Answers a `/messages` request.
 *
 * @throws MatrixError 403 `M_FORBIDDEN` (see `historyAccess`), 400 `M_INVALID_PARAM` for a bad token.
 */
export async function performMessages(deps: HistoryDeps, req: MessagesRequest): Promise<MessagesResponse> {
  const access = await historyAccess(deps, req.roomId, req.requester.userId);
  const backwards = req.dir === 'b';
  const start = req.from ?? (backwards ? `s${await deps.storage.latestPosition()}` : encodePoint(ROOM_START));
  const from = await resolveToken(deps.storage, req.roomId, start);
  const to = req.to !== undefined ? await resolveToken(deps.storage, req.roomId, req.to) : backwards ? ROOM_START : ROOM_END;
  const limit = Math.min(req.limit, req.filter.limit ?? req.limit);
  const pageRequest = { access, from, to, backwards, limit, filter: req.filter };
  let page = await paginateRoom(deps, pageRequest);
  // Short at the bottom of what we hold: older events may be on other servers (backfill).
  for (let round = 0; backwards && page.exhausted && page.events.length < limit && round < MAX_BACKFILL_ROUNDS; round++) {
    if (!(await backfillBelow(deps, req.roomId, to, limit))) break;
    page = await paginateRoom(deps, pageRequest);
  }
  const [serving, state] = await Promise.all([
    historyServing(deps, access, req.requester, page.events),
    req.filter.lazyLoadMembers && page.events.length > 0 ? lazyMemberState(deps, req.roomId, page.events, req.filter) : [],
  ]);
  return {
    start,
    chunk: page.events.map((e) => serving.event(e)),
    ...(page.exhausted ? {} : { end: encodePoint(page.next) }),
    ...(state.length > 0 && { state: state.map((e) => serving.state(e.eventId, e.json)) }),
  };
}

/** The member events of the senders of `events`, at the latest of them. */
async function lazyMemberState(deps: HistoryDeps, roomId: string, events: readonly SyncEvent[], filter: RoomEventFilter): Promise<SyncEvent[]> {
  const at = Math.max(...events.map((e) => e.position));
  const members = await deps.storage.memberEventsAt(roomId, [...new Set(events.map((e) => e.sender))], at);
  const chosen = selectLazyMembers({
    timeline: events.map((e) => ({ eventId: e.eventId, type: e.type, sender: e.sender, stateKey: e.stateKey ?? undefined })),
    memberEventIds: new Map([...members].map(([userId, e]) => [userId, e.eventId])),
    includeRedundant: filter.includeRedundantMembers,
  });
  return chosen.userIds.flatMap((userId) => members.get(userId) ?? []);
}

/**
 * The `limit` parameter: the default when absent, capped at {@link MAX_MESSAGES_LIMIT}.
 *
 * @throws MatrixError 400 `M_INVALID_PARAM` when negative.
 */
export function messagesLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_MESSAGES_LIMIT;
  if (limit < 0) throw MatrixError.invalidParam('limit must not be negative');
  return Math.min(limit, MAX_MESSAGES_LIMIT);
}
