/**
 * Auth rule "If `membership` is `join`" (rule 4.3 from v8, 5.2 in v1–v5, 4.2 in v6–v7, 5.3 in v12).
 */
import type { AuthContext } from './auth-context.js';
import type { AuthDecision } from './auth-decision.js';
import { allow, deny } from './auth-decision.js';
import { primaryCreator } from './room-creators.js';

/** Checks a join of `target` (the event's `state_key`). */
export function checkJoin(ctx: AuthContext, target: string): AuthDecision {
  const { event, rv, create } = ctx;
  const onlyAfterCreate = event.prevEvents.length === 1 && event.prevEvents[0] === create.eventId;
  if (onlyAfterCreate && target === primaryCreator(create, rv)) return allow('m.room.member/join/creator');
  if (event.sender !== target) {
    return deny('m.room.member/join/sender_not_target', 'Cannot make another user join');
  }
  const current = ctx.membershipOf(target);
  if (current === 'ban') {
    return deny('m.room.member/join/banned', 'You are banned from this room');
  }
  const joinedOrInvited = current === 'join' || current === 'invite';
  const rule = ctx.joinRule();
  if (rule === 'invite' || (rv.knockSupported && rule === 'knock')) {
    if (joinedOrInvited) return allow('m.room.member/join/invited');
    return deny('m.room.member/join/join_rule', 'You are not invited to this room');
  }
  const restricted =
    (rv.restrictedJoinSupported && rule === 'restricted') || (rv.knockRestrictedSupported && rule === 'knock_restricted');
  if (restricted) {
    if (joinedOrInvited) return allow('m.room.member/join/restricted_member');
    const via = event.content.join_authorised_via_users_server;
    if (
      typeof via !== 'string' ||
      ctx.membershipOf(via) !== 'join' ||
      ctx.power.userLevel(via) < ctx.power.levels.invite
    ) {
      return deny(
        'm.room.member/join/restricted_authoriser',
        'The join is not authorised by a joined member allowed to invite (join_authorised_via_users_server)',
      );
    }
    return allow('m.room.member/join/restricted_authorised');
  }
  if (rule === 'public') return allow('m.room.member/join/public');
  return deny('m.room.member/join/join_rule', `The join rule ${JSON.stringify(rule ?? null)} does not allow joining`);
}
