/**
 * Auth rules "If `membership` is `leave`" (leaving, rejecting an invite, rescinding a knock,
 * kicking, unbanning) and "If `membership` is `ban`".
 */
import type { AuthContext } from './auth-context.js';
import type { AuthDecision } from './auth-decision.js';
import { allow, deny } from './auth-decision.js';

/** Checks a `leave` of `target` (the event's `state_key`). */
export function checkLeave(ctx: AuthContext, target: string): AuthDecision {
  const { event, rv } = ctx;
  const targetMembership = ctx.membershipOf(target);
  if (event.sender === target) {
    const canLeave =
      targetMembership === 'invite' || targetMembership === 'join' || (rv.knockSupported && targetMembership === 'knock');
    return canLeave
      ? allow('m.room.member/leave/self')
      : deny('m.room.member/leave/self', 'You cannot leave a room you are not joined to, invited to or knocking on');
  }
  if (ctx.membershipOf(event.sender) !== 'join') {
    return deny('m.room.member/leave/sender_not_joined', 'You are not joined to this room');
  }
  const senderLevel = ctx.power.userLevel(event.sender);
  if (targetMembership === 'ban' && senderLevel < ctx.power.levels.ban) {
    return deny('m.room.member/leave/unban_power', `You cannot unban ${target}`);
  }
  if (senderLevel >= ctx.power.levels.kick && ctx.power.userLevel(target) < senderLevel) {
    return allow('m.room.member/leave/kick');
  }
  return deny('m.room.member/leave/kick_power', `You cannot kick ${target}`);
}

/** Checks a `ban` of `target` (the event's `state_key`). */
export function checkBan(ctx: AuthContext, target: string): AuthDecision {
  const { event } = ctx;
  if (ctx.membershipOf(event.sender) !== 'join') {
    return deny('m.room.member/ban/sender_not_joined', 'You are not joined to this room');
  }
  const senderLevel = ctx.power.userLevel(event.sender);
  if (senderLevel >= ctx.power.levels.ban && ctx.power.userLevel(target) < senderLevel) {
    return allow('m.room.member/ban/allow');
  }
  return deny('m.room.member/ban/power', `You cannot ban ${target}`);
}
