/**
 * Auth rule "If `membership` is `invite`", including invites that complete a third-party invite
 * (`content.third_party_invite`).
 */
import { isJsonObject } from '../json.js';
import type { AuthContext } from './auth-context.js';
import type { AuthDecision } from './auth-decision.js';
import { allow, deny } from './auth-decision.js';
import { signedBlockMatchesAnyKey, thirdPartyInvitePublicKeys } from './verify-third-party-signed.js';

/** Checks an invite of `target` (the event's `state_key`). */
export function checkInvite(ctx: AuthContext, target: string): AuthDecision {
  const { event } = ctx;
  if ('third_party_invite' in event.content) return checkThirdPartyInvite(ctx, target);
  if (ctx.membershipOf(event.sender) !== 'join') {
    return deny('m.room.member/invite/sender_not_joined', 'You are not joined to this room');
  }
  const current = ctx.membershipOf(target);
  if (current === 'join' || current === 'ban') {
    return deny(
      'm.room.member/invite/target_joined_or_banned',
      current === 'join' ? `${target} is already in the room` : `${target} is banned from the room`,
    );
  }
  if (ctx.power.userLevel(event.sender) >= ctx.power.levels.invite) return allow('m.room.member/invite/allow');
  return deny('m.room.member/invite/power', "You don't have permission to invite users");
}

const TPI = 'm.room.member/invite/third_party';

function checkThirdPartyInvite(ctx: AuthContext, target: string): AuthDecision {
  const { event } = ctx;
  if (ctx.membershipOf(target) === 'ban') {
    return deny(`${TPI}/banned`, `${target} is banned from the room`);
  }
  const tpi = event.content.third_party_invite;
  const signed = isJsonObject(tpi) ? tpi.signed : undefined;
  if (!isJsonObject(signed)) {
    return deny(`${TPI}/no_signed`, 'third_party_invite has no signed block');
  }
  const { mxid, token } = signed;
  if (typeof mxid !== 'string' || typeof token !== 'string') {
    return deny(`${TPI}/signed_fields`, 'third_party_invite.signed needs mxid and token');
  }
  if (mxid !== target) {
    return deny(`${TPI}/mxid_mismatch`, 'third_party_invite.signed.mxid does not match the invited user');
  }
  const invite = ctx.lookup('m.room.third_party_invite', token);
  if (!invite) {
    return deny(`${TPI}/no_invite_event`, 'No m.room.third_party_invite in the room matches the token');
  }
  if (invite.sender !== event.sender) {
    return deny(`${TPI}/sender_mismatch`, 'Only the sender of the third-party invite can complete it');
  }
  if (signedBlockMatchesAnyKey(signed, thirdPartyInvitePublicKeys(invite.content))) {
    return allow(`${TPI}/allow`);
  }
  return deny(`${TPI}/signature`, 'The third-party invite signature does not match any of its public keys');
}
