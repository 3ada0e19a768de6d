/**
 * The authorisation rules of every room version (spec: rooms/v1 … v12, "Authorisation rules"),
 * as one pure function of an event and the state it is checked against. The differences between
 * versions come from the room-version table, never from comparing version identifiers.
 *
 * What the callers add around it: signature and hash checks (including the authorising server's
 * signature on restricted joins, whose presence is checked here); rule 2's checks of the listed
 * `auth_events` ({@link checkAuthEvents} in `check-auth-events.ts`), run once per received event;
 * tracking which events were rejected.
 */
import type { RoomEvent } from '../room-event.js';
import type { AuthContext } from './auth-context.js';
import { authContext } from './auth-context.js';
import type { AuthDecision } from './auth-decision.js';
import { allow, deny } from './auth-decision.js';
import type { AuthStateLookup } from './auth-state-lookup.js';
import { checkCreateEvent } from './check-create-event.js';
import { checkMemberEvent } from './check-member-event.js';
import { checkPowerLevelsEvent } from './check-power-levels-event.js';
import { domainOf } from '../ids/domain-of.js';

export type { AuthDecision } from './auth-decision.js';
export type { AuthStateLookup } from './auth-state-lookup.js';

/**
 * Checks `event` against the spec's auth rules for its room version (event.roomVersion), using
 * `lookup` for the state before the event (or its auth events). Never throws for a denied event.
 *
 * The lookup must answer `("m.room.create", "")` in every room version — in v12 too, where the
 * create event is not among the auth events but is implied by the room ID.
 */
export function checkEventAuth(event: RoomEvent, lookup: AuthStateLookup): AuthDecision {
  const rv = event.roomVersion;
  if (event.type === 'm.room.create') return checkCreateEvent(event);

  const create = lookup('m.room.create', '');
  if (rv.roomIdIsCreateHash) {
    // v12 rule 2: the room ID is the create event's ID with `!` for `$`.
    if (!create || event.roomId !== `!${create.eventId.slice(1)}`) {
      return deny('room_id/create_event', "The room ID is not the ID of the room's m.room.create event");
    }
  } else if (!create) {
    return deny('auth_events/missing_create', 'No m.room.create event in the auth state');
  }

  if (create.content['m.federate'] === false && domainOf(event.sender) !== domainOf(create.sender)) {
    return deny('m.federate', 'This room does not accept events from other servers');
  }
  if (rv.specialCaseAliasesAuth && event.type === 'm.room.aliases') return checkAliases(event);

  const ctx = authContext(event, lookup, create);
  if (event.type === 'm.room.member') return checkMemberEvent(ctx);
  return checkOtherEvent(ctx);
}

/** v1–v5 rule 4: `m.room.aliases` may be sent by any server, for its own state key only. */
function checkAliases(event: RoomEvent): AuthDecision {
  if (event.stateKey === undefined) {
    return deny('m.room.aliases/no_state_key', 'm.room.aliases must be a state event');
  }
  if (event.stateKey !== domainOf(event.sender)) {
    return deny('m.room.aliases/domain_mismatch', "The state key of m.room.aliases must be the sender's server");
  }
  return allow('m.room.aliases/allow');
}

/** The rules after the membership rules: every event other than create, member and (v1–v5) aliases. */
function checkOtherEvent(ctx: AuthContext): AuthDecision {
  const { event, rv, power } = ctx;
  if (ctx.membershipOf(event.sender) !== 'join') {
    return deny('sender_not_joined', `${event.sender} is not joined to the room`);
  }
  const senderLevel = power.userLevel(event.sender);
  if (event.type === 'm.room.third_party_invite') {
    return senderLevel >= power.levels.invite
      ? allow('m.room.third_party_invite/invite_level')
      : deny('m.room.third_party_invite/invite_level', "You don't have permission to invite users");
  }
  const required = power.requiredLevel(event.type, event.stateKey !== undefined);
  if (required > senderLevel) {
    return deny(
      'power_levels/required_level',
      `Sending ${event.type} needs power level ${required}; yours is ${senderLevel}`,
    );
  }
  if (event.stateKey?.startsWith('@') && event.stateKey !== event.sender) {
    return deny('state_key/other_user', 'A state key starting with @ must be your own user ID');
  }
  if (event.type === 'm.room.power_levels') return checkPowerLevelsEvent(ctx);
  if (rv.redactionAuthRule && event.type === 'm.room.redaction') return checkLegacyRedaction(ctx, senderLevel);
  return allow('allow');
}

/** v1–v2 rule 11: redact level, or the redacted event comes from the redaction's own server. */
function checkLegacyRedaction(ctx: AuthContext, senderLevel: number): AuthDecision {
  const { event, power } = ctx;
  if (senderLevel >= power.levels.redact) return allow('m.room.redaction/redact_level');
  const ownDomain = domainOf(event.eventId);
  if (event.redacts !== undefined && ownDomain !== undefined && domainOf(event.redacts) === ownDomain) {
    return allow('m.room.redaction/same_domain');
  }
  return deny('m.room.redaction/not_allowed', "You don't have permission to redact this event");
}
