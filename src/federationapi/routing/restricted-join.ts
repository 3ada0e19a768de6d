/**
 * Joins of restricted rooms through us (spec "Restricted rooms"; Synapse's
 * `check_restricted_join_rules` and `get_user_which_could_invite`). A user not already joined or
 * invited may join a `restricted` (v8+) or `knock_restricted` (v10+) room when they are in one
 * of the rooms its join rule allows; the resident server vouches for that by naming, in
 * `join_authorised_via_users_server`, one of its own joined users who may invite, and by signing
 * the join in `send_join`. We can only vouch from what we hold:
 *
 * - no state of any allowed room here: 400 `M_UNABLE_TO_AUTHORISE_JOIN` (another server may can);
 * - the user is joined to none of the allowed rooms we know: 403 `M_FORBIDDEN`;
 * - none of our joined users has the invite level: 400 `M_UNABLE_TO_GRANT_JOIN`.
 *
 * The authoriser picked is our joined user with the highest power level (ties: the first by
 * user ID), so the same one is named each time while the room's power levels stay put.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { lookupFromEvents } from '../../matrix/auth/auth-state-lookup.js';
import { roomPowerLevels } from '../../matrix/auth/power-levels.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import type { StoredRoomEvent } from '../../roomserver/api.js';
import type { MembershipRoutesDeps } from './membership-deps.js';

/**
 * What the join template's content needs for `userId` to join: `{}` in rooms that are not
 * restricted or when the user is already in or invited, else `join_authorised_via_users_server`.
 */
export async function joinAuthorisation(deps: MembershipRoutesDeps, roomId: string, userId: string, rv: RoomVersion): Promise<JsonObject> {
  const api = deps.membershipRoomserverApi;
  const { events } = await api.queryState({
    roomId,
    stateTuples: [
      ['m.room.join_rules', ''],
      ['m.room.power_levels', ''],
      ['m.room.create', ''],
      ['m.room.member', userId],
    ],
  });
  const byType = new Map(events.map((e) => [e.event.type as string, e]));
  const rule = byType.get('m.room.join_rules')?.event.content;
  const joinRule = isJsonObject(rule) ? rule.join_rule : undefined;
  const restricted = (rv.restrictedJoinSupported && joinRule === 'restricted') || (rv.knockRestrictedSupported && joinRule === 'knock_restricted');
  if (!restricted) return {};
  const own = byType.get('m.room.member')?.event.content;
  const membership = isJsonObject(own) ? own.membership : undefined;
  if (membership === 'join' || membership === 'invite') return {};
  await requireInAllowedRoom(deps, allowedRoomIds(isJsonObject(rule) ? rule : {}), userId);
  return { join_authorised_via_users_server: await localInviter(deps, roomId, events, rv) };
}

/** The room IDs of the join rule's `m.room_membership` conditions. */
function allowedRoomIds(joinRules: JsonObject): string[] {
  const allow = Array.isArray(joinRules.allow) ? joinRules.allow : [];
  return allow.flatMap((a) => (isJsonObject(a) && a.type === 'm.room_membership' && typeof a.room_id === 'string' ? [a.room_id] : []));
}

async function requireInAllowedRoom(deps: MembershipRoutesDeps, roomIds: readonly string[], userId: string): Promise<void> {
  const api = deps.membershipRoomserverApi;
  let known = false;
  for (const roomId of roomIds) {
    const info = await api.queryRoomInfo({ roomId });
    if (!info.exists || info.latestEventIds.length === 0) continue;
    known = true;
    if ((await api.queryMembership({ roomId, userId })).membership === 'join') return;
  }
  if (!known) throw MatrixError.unableToAuthoriseJoin('This server holds none of the rooms whose members may join; try another server in the room');
  throw MatrixError.forbidden(`${userId} is not joined to any of the rooms whose members may join`);
}

/** Our joined user most able to invite, or 400 `M_UNABLE_TO_GRANT_JOIN`. */
async function localInviter(deps: MembershipRoutesDeps, roomId: string, state: readonly StoredRoomEvent[], rv: RoomVersion): Promise<string> {
  const { userIds } = await deps.membershipRoomserverApi.queryMembers({ roomId, membership: 'join' });
  const ours = userIds.filter((u) => domainOf(u) === deps.serverName);
  const parsed = state.filter((e) => e.event.type !== 'm.room.member').map((e) => parseEvent(e.event, rv, { trustedEventId: e.eventId }));
  const power = roomPowerLevels(lookupFromEvents(parsed), rv);
  const able = ours
    .map((u) => ({ u, level: power.userLevel(u) }))
    .filter((c) => c.level >= power.levels.invite)
    .sort((a, b) => b.level - a.level || (a.u < b.u ? -1 : 1));
  const best = able[0];
  if (!best) throw MatrixError.unableToGrantJoin('No user of this server in the room may invite; try another server in the room');
  return best.u;
}
