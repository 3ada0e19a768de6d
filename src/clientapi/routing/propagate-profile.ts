/**
 * Profile changes reach rooms (spec, "Events on Change of Profile Information"): after a user's
 * `displayname` or `avatar_url` changed, a new `m.room.member` join event goes to every room they
 * are joined to, so members see the new name without asking the profile API. Like Dendrite, the
 * clientapi does this after the userapi stored the profile; like Synapse, the new content is the
 * current member content with the two profile keys replaced, minus the keys that belong to one
 * membership transition only (see {@link ONE_TIME_MEMBER_KEYS}).
 *
 * Rooms are done one after the other (each send waits in its room's queue anyway, and a user in
 * many rooms should not flood the roomserver). A room whose send fails is logged and skipped: the
 * profile itself has changed, and the spec gives the client no way to hear about a partial
 * propagation.
 */
import type { Logger } from 'pino';
import type { JsonObject } from '../../matrix/json.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { ProfileFields } from '../../userapi/api.js';

/** The profile fields member events carry; changing any other field sends nothing. */
export const MEMBER_PROFILE_FIELDS: readonly string[] = ['displayname', 'avatar_url'];

/**
 * Member content keys that describe how this one membership came about, never copied into a
 * later event: `join_authorised_via_users_server` (the spec's member schema asks copies to drop
 * it, since the event must then be signed by that user's server or fail auth), `reason` (said
 * once, about that change) and `third_party_invite` (spent by the invite it accompanied).
 */
export const ONE_TIME_MEMBER_KEYS: readonly string[] = ['join_authorised_via_users_server', 'reason', 'third_party_invite'];

/** What propagation reads and sends through. */
export interface PropagateProfileDeps {
  readonly roomserverApi: Pick<ClientRoomserverAPI, 'queryRoomsForUser' | 'queryState' | 'performSendEvents'>;
  readonly logger: Pick<Logger, 'warn'>;
}

/** Which rooms got a new member event, and which did not. */
export interface PropagateProfileResult {
  /** Rooms where a new join event was sent. */
  readonly sent: readonly string[];
  /** Rooms whose member event already carried the profile, or where the user was no longer joined. */
  readonly skipped: readonly string[];
  /** Rooms where reading or sending failed (logged). */
  readonly failed: readonly string[];
}

/**
 * The content of a profile-update join: `current` (the user's member content now) with its
 * one-time keys dropped, `membership: join`, and `displayname`/`avatar_url` set from `profile`
 * or removed when the profile has none (a deleted field leaves the room too).
 */
export function profileMemberContent(current: JsonObject, profile: ProfileFields): JsonObject {
  const content: JsonObject = {};
  for (const [key, value] of Object.entries(current)) {
    if (!ONE_TIME_MEMBER_KEYS.includes(key) && !MEMBER_PROFILE_FIELDS.includes(key)) content[key] = value;
  }
  content.membership = 'join';
  for (const field of MEMBER_PROFILE_FIELDS) {
    const value = profile[field];
    if (typeof value === 'string') content[field] = value;
  }
  return content;
}

/** Whether the member content already shows this profile (then a new event would change nothing). */
function showsProfile(current: JsonObject, profile: ProfileFields): boolean {
  return MEMBER_PROFILE_FIELDS.every((field) => {
    const value = profile[field];
    return (typeof value === 'string' ? value : undefined) === current[field];
  });
}

/**
 * Sends `userId`'s new profile to each room they are joined to, in turn. Never throws: a room's
 * failure is logged and counted in `failed`, and when the joined rooms cannot be listed at all
 * that is logged and nothing is sent.
 */
export async function propagateProfile(deps: PropagateProfileDeps, userId: string, profile: ProfileFields): Promise<PropagateProfileResult> {
  let roomIds: readonly string[];
  try {
    ({ roomIds } = await deps.roomserverApi.queryRoomsForUser({ userId, membership: 'join' }));
  } catch (err) {
    deps.logger.warn({ err, userId }, "clientapi: could not list a user's rooms to send their profile change");
    return { sent: [], skipped: [], failed: [] };
  }
  const sent: string[] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
  for (const roomId of roomIds) {
    try {
      const outcome = await propagateToRoom(deps, userId, roomId, profile);
      (outcome === 'sent' ? sent : skipped).push(roomId);
    } catch (err) {
      deps.logger.warn({ err, userId, roomId }, 'clientapi: could not send a profile change to a room');
      failed.push(roomId);
    }
  }
  return { sent, skipped, failed };
}

/**
 * One room: reads the user's member event right before sending, so a user who left since the
 * list was read is not joined again by their own profile change. A leave landing between this
 * read and the send is still a narrow race: in a room they may rejoin freely (public join rule)
 * the profile join would put them back; elsewhere the auth rules refuse it and it is logged.
 */
async function propagateToRoom(deps: PropagateProfileDeps, userId: string, roomId: string, profile: ProfileFields): Promise<'sent' | 'skipped'> {
  const rs = deps.roomserverApi;
  const { events } = await rs.queryState({ roomId, stateTuples: [['m.room.member', userId]] });
  const current = events[0]?.event.content;
  if (current === undefined || typeof current !== 'object' || current === null || Array.isArray(current)) return 'skipped';
  const content = current as JsonObject;
  if (content.membership !== 'join' || showsProfile(content, profile)) return 'skipped';
  await rs.performSendEvents({
    events: [{ roomId, type: 'm.room.member', stateKey: userId, sender: userId, content: profileMemberContent(content, profile) }],
  });
  return 'sent';
}
