/**
 * Auth rule "If type is `m.room.member`": the shape checks, the restricted-join signature check
 * (v8+), then one rule per membership.
 */
import { isJsonObject } from '../json.js';
import type { AuthContext } from './auth-context.js';
import type { AuthDecision } from './auth-decision.js';
import { deny } from './auth-decision.js';
import { checkInvite } from './check-invite.js';
import { checkJoin } from './check-join.js';
import { checkKnock } from './check-knock.js';
import { checkBan, checkLeave } from './check-leave-ban.js';
import { domainOf } from '../ids/domain-of.js';

/** Checks an `m.room.member` event. */
export function checkMemberEvent(ctx: AuthContext): AuthDecision {
  const { event, rv } = ctx;
  const target = event.stateKey;
  if (target === undefined) {
    return deny('m.room.member/no_state_key', 'A member event must have a state_key');
  }
  if (!('membership' in event.content)) {
    return deny('m.room.member/no_membership', 'A member event must have content.membership');
  }
  if (rv.restrictedJoinSupported && 'join_authorised_via_users_server' in event.content) {
    const refused = checkAuthorisingServerSigned(ctx);
    if (refused) return refused;
  }
  const membership = event.content.membership;
  switch (membership) {
    case 'join':
      return checkJoin(ctx, target);
    case 'invite':
      return checkInvite(ctx, target);
    case 'leave':
      return checkLeave(ctx, target);
    case 'ban':
      return checkBan(ctx, target);
    case 'knock':
      if (rv.knockSupported) return checkKnock(ctx, target);
      break;
  }
  return deny('m.room.member/unknown_membership', `Unknown membership ${JSON.stringify(membership)}`);
}

/**
 * "If the event is not validly signed by the homeserver of the user ID denoted by the key,
 * reject." This checks that the event carries a signature from that server; verifying it is the
 * caller's signature check on receipt (which must include this server), as with every signature.
 * Returns the denial, or `undefined` when the signature is present.
 */
function checkAuthorisingServerSigned(ctx: AuthContext): AuthDecision | undefined {
  const via = ctx.event.content.join_authorised_via_users_server;
  const server = typeof via === 'string' ? domainOf(via) : undefined;
  const signatures = ctx.event.json.signatures;
  const block = server !== undefined && isJsonObject(signatures) ? signatures[server] : undefined;
  if (isJsonObject(block) && Object.keys(block).length > 0) return undefined;
  return deny(
    'm.room.member/authorising_server_signature',
    'The event is not signed by the server of join_authorised_via_users_server',
  );
}
