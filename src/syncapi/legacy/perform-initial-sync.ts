/**
 * `GET /initialSync`: everything the user has, in the v1 shape — every room they are joined or
 * invited to (with `archived=true` also those they left or were banned from, but not forgotten
 * ones, as `/sync`'s `include_leave` does), the presence of the people they share a room with,
 * and their account data; `end` is a `/sync` token to carry on from with `/events` or `/sync`.
 *
 * Per room: `membership`; the directory `visibility`; the user's room account data; for invites
 * the invite event; otherwise `messages` (the latest `limit`, by history visibility) and `state`
 * — the current state of a joined room, the state as the user left it of a left one, both taken
 * at the point the messages end (`room-snapshots.ts`). Knocks have no place in the v1 shape and
 * are left out. As Synapse does, the response also has `receipts`: the latest `m.receipt` of each
 * joined room, with its `room_id`.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { RoomVisibility } from '../../roomserver/api.js';
import type { AccountDataEntry } from '../../userapi/api.js';
import type { ServedTo } from '../history/history-event.js';
import type { UserMembership } from '../storage/index.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { encodeStreamToken, ZERO_POSITIONS } from '../sync/stream-token.js';
import type { LegacyDeps } from './legacy-deps.js';
import { legacyEvent, legacyPresenceEvent, withRoomId } from './legacy-event.js';
import { latestLegacyPositions, legacyContext, LEGACY_SIDE_STREAMS, providersNamed } from './legacy-streams.js';
import { roomSnapshots, type RoomSnapshot, type SnapshotPlan } from './room-snapshots.js';
import { roomVisibilities } from './room-visibilities.js';

/** One `/initialSync` request, its parameters parsed. */
export interface InitialSyncRequest {
  /** Messages per room (already capped). */
  readonly limit: number;
  /** Include the rooms the user left or was banned from. */
  readonly archived: boolean;
}

/** One room of the response (the spec's `RoomInfo`). */
export interface InitialSyncRoom {
  readonly room_id: string;
  readonly membership: string;
  readonly invite?: ResponseEvent;
  readonly messages?: RoomSnapshot['messages'];
  readonly state?: ResponseEvent[];
  readonly visibility: RoomVisibility;
  readonly account_data: JsonObject[];
}

/** The response body. */
export interface InitialSyncResponse {
  readonly end: string;
  readonly rooms: InitialSyncRoom[];
  readonly presence: ResponseEvent[];
  readonly account_data: JsonObject[];
  /** Synapse's addition, read by Sytest: each joined room's latest receipts. */
  readonly receipts: ResponseEvent[];
}

/** Answers an `/initialSync` request. */
export async function performInitialSync(deps: LegacyDeps, requester: ServedTo, req: InitialSyncRequest): Promise<InitialSyncResponse> {
  const now = Date.now();
  const memberships = await deps.storage.userMemberships(requester.userId);
  const ctx = legacyContext(requester.userId, requester.deviceId, memberships, now);
  const positions = await latestLegacyPositions(deps.storage, providersNamed(deps.streams, LEGACY_SIDE_STREAMS), ctx, ZERO_POSITIONS);
  const rooms = await shownRooms(deps, requester.userId, memberships, req.archived);
  // Receipts and presence as an initial `/sync` has them.
  for (const s of providersNamed(deps.streams, ['receipt', 'presence'])) await s.initial(ctx, positions[s.stream]);

  const plans = rooms
    .filter((m) => m.membership !== 'invite')
    .map((m): SnapshotPlan => ({ roomId: m.roomId, upTo: m.membership === 'join' ? positions.pdu : m.addedAt, visibleFrom: m.addedAt }));
  const inviteIds = rooms.filter((m) => m.membership === 'invite').map((m) => m.eventId);
  const [snapshots, invites, accountData, visibility] = await Promise.all([
    roomSnapshots(deps, requester, plans, req.limit, positions, now),
    inviteIds.length === 0 ? [] : deps.storage.eventsByIds(inviteIds),
    deps.userapi.queryAccountData({ userId: requester.userId, includeRooms: true }),
    roomVisibilities(deps.roomserver, rooms.map((m) => m.roomId)),
  ]);
  const inviteById = new Map(invites.map((e) => [e.eventId, e]));
  const data = accountDataByRoom(accountData.entries.filter((e) => !e.deleted && e.streamPosition <= positions.account_data));

  return {
    end: encodeStreamToken(positions),
    rooms: rooms.map((m): InitialSyncRoom => {
      const invite = inviteById.get(m.eventId);
      const snapshot = snapshots.get(m.roomId);
      return {
        room_id: m.roomId,
        membership: m.membership,
        ...(m.membership === 'invite' && invite ? { invite: legacyEvent(invite, requester, now) } : {}),
        ...(snapshot ? { messages: snapshot.messages, state: snapshot.state } : {}),
        visibility: visibility.get(m.roomId) ?? 'private',
        account_data: data.get(m.roomId) ?? [],
      };
    }),
    presence: ctx.response.presence.events.map(legacyPresenceEvent),
    account_data: data.get(null) ?? [],
    receipts: Object.entries(ctx.response.rooms.join).flatMap(([roomId, r]) => r.ephemeral.events.map((e) => withRoomId(e, roomId))),
  };
}

/** The memberships to list: joins and invites, and with `archived` the unforgotten leaves and bans. */
async function shownRooms(deps: LegacyDeps, userId: string, memberships: readonly UserMembership[], archived: boolean): Promise<UserMembership[]> {
  const current = memberships.filter((m) => m.membership === 'join' || m.membership === 'invite');
  const departed = archived ? memberships.filter((m) => m.membership === 'leave' || m.membership === 'ban') : [];
  if (departed.length === 0) return current;
  const forgotten = new Set((await deps.roomserver.queryForgottenRooms({ userId })).roomIds);
  return [...current, ...departed.filter((m) => !forgotten.has(m.roomId))];
}

/** Account data events by room ID (`null`: global). */
function accountDataByRoom(entries: readonly AccountDataEntry[]): Map<string | null, JsonObject[]> {
  const out = new Map<string | null, JsonObject[]>();
  for (const e of entries) {
    const list = out.get(e.roomId) ?? [];
    list.push({ type: e.type, content: e.content as JsonObject });
    out.set(e.roomId, list);
  }
  return out;
}
