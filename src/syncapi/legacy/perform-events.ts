/**
 * `GET /events`: what happened for the user after the `from` token, as one flat list, waiting
 * (long-polling through the notifier, as `/sync` does) up to `timeout` while there is nothing.
 *
 * Tokens are `/sync`'s (`stream-token.ts`), so `/initialSync`'s `end` feeds `/events` and an
 * `/events` `end` can feed `/sync`. The chunk holds the room events of the `pdu` stream
 * (`room-events-page.ts`), then what `/sync`'s typing, receipt, account-data and presence
 * providers write (`legacy-streams.ts`); `end` moves those streams to their latest position and
 * `pdu` past the last event considered. With nothing for the user, `end` is `from` itself.
 * Without `from` the stream starts now. A page of room events cut at `limit` is answered at once,
 * even when history visibility hid all of it.
 *
 * With `room_id` (the spec's peeking form) only that room is watched: its events, typing,
 * receipts and its members' presence, for a joined member or anyone when the room is
 * world-readable (`legacy-room-access.ts`); the listener is indexed by the room so its events wake
 * a peeker. Guests may only use this form (the spec lists `/events` for guests "as used for room
 * previews").
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { ServedTo } from '../history/history-event.js';
import type { StreamProvider } from '../sync/stream-provider.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { encodeStreamToken, parseStreamToken, ZERO_POSITIONS, type StreamPositions } from '../sync/stream-token.js';
import type { LegacyDeps } from './legacy-deps.js';
import { legacyEvent } from './legacy-event.js';
import { legacyRoomAccess } from './legacy-room-access.js';
import { flattenSideEvents, latestLegacyPositions, legacyContext, LEGACY_SIDE_STREAMS, providersNamed, ROOM_SIDE_STREAMS, viewing } from './legacy-streams.js';
import { roomEventsPage, userRoomEventsPage } from './room-events-page.js';

/** How long `/events` waits when the client does not say (Synapse's default). */
export const DEFAULT_EVENTS_TIMEOUT_MS = 30_000;
/** Room events per answer when the client sets no `limit`. */
export const DEFAULT_EVENTS_LIMIT = 100;
/** Most room events per answer, whatever the client asks. */
export const MAX_EVENTS_LIMIT = 1000;

/** One `/events` request, its parameters parsed. */
export interface EventsRequest {
  readonly from: string | undefined;
  /** Already clamped to what the server allows. */
  readonly timeoutMs: number;
  /** Room events at most (already capped). */
  readonly limit: number;
  /** The peeking form's room. */
  readonly roomId: string | undefined;
}

/** Who asks. */
export interface EventsRequester extends ServedTo {
  readonly isGuest: boolean;
}

/** The response body. */
export interface EventsResponse {
  readonly start: string;
  readonly end: string;
  readonly chunk: ResponseEvent[];
}

/** The room a room-scoped stream watches, and from where its events need no visibility check. */
interface RoomScope {
  readonly roomId: string;
  readonly visibleFrom: number;
}

/**
 * Answers an `/events` request; `signal` ends the wait early (the client went away).
 *
 * @throws MatrixError 400 `M_INVALID_PARAM` for a bad `from`, 403 for a room the user may not
 *   watch or a guest without `room_id`.
 */
export async function performEvents(deps: LegacyDeps, requester: EventsRequester, req: EventsRequest, signal?: AbortSignal): Promise<EventsResponse> {
  if (req.roomId === undefined && requester.isGuest) throw MatrixError.guestAccessForbidden('Guests may call /events only to peek into a room (room_id)');
  const fromPositions = req.from === undefined ? undefined : parseStreamToken(req.from);
  const scope = req.roomId === undefined ? undefined : await roomScope(deps, req.roomId, requester.userId);
  const streams = providersNamed(deps.streams, scope ? ROOM_SIDE_STREAMS : LEGACY_SIDE_STREAMS);
  const from = fromPositions ?? (await latestLegacyPositions(deps.storage, streams, legacyContext(requester.userId, requester.deviceId, [], Date.now()), ZERO_POSITIONS));
  const start = req.from ?? encodeStreamToken(from);
  const deadline = Date.now() + req.timeoutMs;
  for (;;) {
    const listener = deps.notifier.listen(requester.userId, scope ? [scope.roomId] : []);
    try {
      const { res, more } = await attempt(deps, requester, req.limit, scope, streams, from, start);
      const answerNow = res.chunk.length > 0 || more || Date.now() >= deadline || signal?.aborted === true;
      if (answerNow || !(await listener.wait(deadline, signal))) return res;
    } finally {
      listener.cancel();
    }
  }
}

async function roomScope(deps: LegacyDeps, roomId: string, userId: string): Promise<RoomScope> {
  const access = await legacyRoomAccess(deps.storage, roomId, userId, 'deny');
  return { roomId, visibleFrom: access.kind === 'member' ? access.entry.addedAt : Number.MAX_SAFE_INTEGER };
}

/** Reads everything after `from` once; `more` when the room events were cut at `limit`. */
async function attempt(
  deps: LegacyDeps,
  requester: EventsRequester,
  limit: number,
  scope: RoomScope | undefined,
  streams: readonly StreamProvider[],
  from: StreamPositions,
  start: string,
): Promise<{ res: EventsResponse; more: boolean }> {
  const now = Date.now();
  const memberships = scope ? [viewing(scope.roomId)] : await deps.storage.userMemberships(requester.userId);
  const ctx = legacyContext(requester.userId, requester.deviceId, memberships, now);
  const to = await latestLegacyPositions(deps.storage, streams, ctx, from);
  const page = scope
    ? await roomEventsPage(deps, requester.userId, scope.roomId, scope.visibleFrom, from.pdu, to.pdu, limit)
    : await userRoomEventsPage(deps.storage, requester.userId, memberships, from.pdu, to.pdu, limit);
  for (const s of streams) await s.incremental(ctx, from[s.stream], to[s.stream]);
  // (`limit=0` asks for no room events at all: nothing is left over.)
  const more = limit > 0 && page.upTo < to.pdu;
  const chunk = [...page.events.map((e) => legacyEvent(e, requester, now)), ...flattenSideEvents(ctx.response)];
  // Nothing for the user: `from` again, as Synapse answers (what moved elsewhere is read again
  // next time, cheaply). A page cut short, even of events all hidden, moves on, or a client would
  // read the same hidden page forever.
  const end = chunk.length === 0 && !more ? start : encodeStreamToken({ ...to, pdu: page.upTo });
  return { res: { start, end, chunk }, more };
}
