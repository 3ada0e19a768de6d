/**
 * Push rules, stored as the user's global `m.push_rules` account data (so sync carries them
 * like any other account data); the rules themselves are the `pushrules/` module's business.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { EmptyResponse, PerformPushRuleUpdateRequest, QueryPushRulesRequest, QueryPushRulesResponse } from '../api.js';
import { applyPushRuleUpdate, asStoredPushRules, mergeWithDefaults } from '../pushrules/index.js';
import { requireActiveAccount } from './account-view.js';
import { PUSH_RULES_TYPE } from './account-data.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

const ATTEMPTS = 10;

/** The user's rules merged with the server defaults (just the defaults for a user who changed none). */
export async function queryPushRules(ctx: UserInternalContext, req: QueryPushRulesRequest): Promise<QueryPushRulesResponse> {
  const localpart = localpartOf(ctx, req.userId);
  const stored = localpart === undefined ? undefined : await readStored(ctx, localpart);
  return { global: mergeWithDefaults(asStoredPushRules(stored?.content), req.userId) };
}

/**
 * Applies one change. Read-modify-write of the account data, made safe against concurrent
 * changes by a compare-and-set on the entry's stream position.
 *
 * @throws MatrixError as `applyPushRuleUpdate` does (404 unknown rule, 400 bad rule or anchor),
 *   `M_NOT_FOUND` for an unknown user, `M_USER_DEACTIVATED` for a deactivated one.
 */
export async function performPushRuleUpdate(ctx: UserInternalContext, req: PerformPushRuleUpdateRequest): Promise<EmptyResponse> {
  const account = await requireActiveAccount(ctx, req.userId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stored = await readStored(ctx, account.localpart);
    const next = applyPushRuleUpdate(asStoredPushRules(stored?.content), req.userId, { kind: req.kind, ruleId: req.ruleId, op: req.op });
    const position = await ctx.storage.putAccountData({
      localpart: account.localpart,
      userId: req.userId,
      roomId: null,
      type: PUSH_RULES_TYPE,
      content: next,
      expectedPosition: stored?.streamPosition ?? null,
    });
    if (position !== undefined) {
      await ctx.flushOutbox();
      return {};
    }
  }
  throw MatrixError.unavailable('The push rules are being changed by another request; try again');
}

/** The stored entry, deleted ones included (their position matters for the compare-and-set). */
async function readStored(ctx: UserInternalContext, localpart: string) {
  const entries = await ctx.storage.getAccountData(localpart, { roomId: null, type: PUSH_RULES_TYPE, since: 0 });
  return entries[0];
}
