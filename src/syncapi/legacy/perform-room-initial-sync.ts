/**
 * `GET /rooms/{roomId}/initialSync`: one room as `/initialSync` shows it, for its members, its
 * former members (as they left it: messages up to their leave, the state then) and, the endpoint's
 * remaining use, anyone peeking into a world-readable room (`legacy-room-access.ts`; a peeker's
 * messages are those history visibility shows them, and the response has no `membership`, as
 * Synapse answers). `messages.end` is a `/sync` token a peeker hands to `/events?room_id=`.
 *
 * Besides the spec's fields it carries Synapse's `presence` (the room's members', as an initial
 * `/sync` has them) and `receipts` (the room's latest `m.receipt`), both empty for a former
 * member, which older clients and Sytest read.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { RoomVisibility } from '../../roomserver/api.js';
import type { ServedTo } from '../history/history-event.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { ZERO_POSITIONS } from '../sync/stream-token.js';
import type { LegacyDeps } from './legacy-deps.js';
import { legacyPresenceEvent, withRoomId } from './legacy-event.js';
import { legacyRoomAccess } from './legacy-room-access.js';
import { latestLegacyPositions, legacyContext, LEGACY_SIDE_STREAMS, providersNamed, viewing } from './legacy-streams.js';
import { roomSnapshots, type RoomSnapshot } from './room-snapshots.js';

/** The response body. */
export interface RoomInitialSyncResponse {
  readonly room_id: string;
  /** The user's membership; absent for a peeker. */
  readonly membership?: 'join' | 'leave' | 'ban';
  readonly messages: RoomSnapshot['messages'];
  readonly state: ResponseEvent[];
  readonly visibility: RoomVisibility;
  readonly account_data: JsonObject[];
  readonly presence: ResponseEvent[];
  readonly receipts: ResponseEvent[];
}

/**
 * Answers a room's initial sync with at most `limit` messages.
 *
 * @throws MatrixError 403 `M_FORBIDDEN` when the user never was in the room and it is not world-readable.
 */
export async function performRoomInitialSync(deps: LegacyDeps, requester: ServedTo, roomId: string, limit: number): Promise<RoomInitialSyncResponse> {
  const access = await legacyRoomAccess(deps.storage, roomId, requester.userId, 'allow');
  const now = Date.now();
  const present = access.kind === 'peek' || access.membership === 'join';
  const ctx = legacyContext(requester.userId, requester.deviceId, present ? [viewing(roomId)] : [], now);
  const positions = await latestLegacyPositions(deps.storage, providersNamed(deps.streams, LEGACY_SIDE_STREAMS), ctx, ZERO_POSITIONS);
  // A former member is told nothing of the room's present (their own presence included).
  if (present) for (const s of providersNamed(deps.streams, ['receipt', 'presence'])) await s.initial(ctx, positions[s.stream]);

  const plan =
    access.kind === 'peek'
      ? { roomId, upTo: positions.pdu, visibleFrom: Number.MAX_SAFE_INTEGER }
      : { roomId, upTo: access.membership === 'join' ? positions.pdu : access.entry.addedAt, visibleFrom: access.entry.addedAt };
  const [snapshots, accountData, visibility] = await Promise.all([
    roomSnapshots(deps, requester, [plan], limit, positions, now),
    deps.userapi.queryAccountData({ userId: requester.userId, roomId }),
    deps.roomserver.queryRoomVisibility({ roomId }),
  ]);
  const snapshot = snapshots.get(roomId)!;
  return {
    room_id: roomId,
    ...(access.kind === 'member' ? { membership: access.membership } : {}),
    messages: snapshot.messages,
    state: snapshot.state,
    visibility: visibility.visibility,
    account_data: accountData.entries.filter((e) => !e.deleted && e.roomId === roomId).map((e) => ({ type: e.type, content: e.content as JsonObject })),
    presence: ctx.response.presence.events.map(legacyPresenceEvent),
    receipts: (ctx.response.rooms.join[roomId]?.ephemeral.events ?? []).map((e) => withRoomId(e, roomId)),
  };
}
