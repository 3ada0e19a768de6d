/**
 * Auth rule "If `membership` is `knock`" (v7+; `knock_restricted` rooms from v10).
 */
import type { AuthContext } from './auth-context.js';
import type { AuthDecision } from './auth-decision.js';
import { allow, deny } from './auth-decision.js';

/** Checks a `knock` by `target` (v7+; the caller treats `knock` as unknown before). */
export function checkKnock(ctx: AuthContext, target: string): AuthDecision {
  const { event, rv } = ctx;
  const rule = ctx.joinRule();
  if (!(rule === 'knock' || (rv.knockRestrictedSupported && rule === 'knock_restricted'))) {
    return deny('m.room.member/knock/join_rule', 'This room does not accept knocks');
  }
  if (event.sender !== target) {
    return deny('m.room.member/knock/sender_not_target', 'You cannot knock for another user');
  }
  const current = ctx.membershipOf(event.sender);
  if (current !== 'ban' && current !== 'invite' && current !== 'join') return allow('m.room.member/knock/allow');
  return deny('m.room.member/knock/membership', `You cannot knock while your membership is ${current}`);
}
