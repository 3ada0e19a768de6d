/**
 * Each local user's merged push rules, cached in memory so evaluating an event for a room's
 * members does not read every member's account data. A change of the rules is seen through
 * the userapi's own `OutputAccountData` (durable consumer `userapi-push-rules`), which drops the
 * user's entry; entries also expire after `ttlMs` as a safety net (a change announced while this
 * process was down, or a consumer lagging), so a stale ruleset lives at most that long.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { boundedCache } from '../../internal/util/bounded-cache.js';
import { PUSH_RULES_TYPE } from '../internal/account-data.js';
import { OutputAccountData, type OutputAccountDataMessage } from '../producers/output-account-data.js';
import { asStoredPushRules, mergeWithDefaults, type PushRuleset } from '../pushrules/index.js';
import type { UserStorage } from '../storage/index.js';

/** The durable consumer name of the invalidation. */
export const USERAPI_PUSH_RULES_CONSUMER = 'userapi-push-rules';

/** Cached rulesets by user. */
export interface PushRulesCache {
  /** The user's ruleset (their stored rules merged with the defaults). */
  rulesFor(userId: string, localpart: string): Promise<PushRuleset>;
  /** Forgets the user's ruleset (their push rules changed). */
  invalidate(userId: string): void;
}

/** Options of {@link createPushRulesCache}. */
export interface PushRulesCacheOptions {
  /** Users cached at most (those not used lately go first); 10 000 by default. */
  readonly maxUsers?: number;
  /** Lifetime of an entry in ms; 60 s by default. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** A cache over the users' `m.push_rules` account data. */
export function createPushRulesCache(storage: Pick<UserStorage, 'getAccountData'>, opts: PushRulesCacheOptions = {}): PushRulesCache {
  const maxUsers = opts.maxUsers ?? 10_000;
  const ttlMs = opts.ttlMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const entries = boundedCache<string, { readonly rules: PushRuleset; readonly expires: number }>(maxUsers);
  // Bumped by every invalidation: a read that raced one is used once but not cached.
  let generation = 0;
  return {
    async rulesFor(userId, localpart) {
      const hit = entries.get(userId);
      if (hit && hit.expires > now()) return hit.rules;
      const before = generation;
      const stored = await storage.getAccountData(localpart, { roomId: null, type: PUSH_RULES_TYPE });
      const rules = mergeWithDefaults(asStoredPushRules(stored[0]?.content), userId);
      if (generation !== before) return rules;
      entries.set(userId, { rules, expires: now() + ttlMs });
      return rules;
    },
    invalidate(userId) {
      generation++;
      entries.delete(userId);
    },
  };
}

/** Subscribes the invalidation of `cache` to push-rule changes; stop the subscription on shutdown. */
export function startPushRulesInvalidation(bus: Bus, cache: PushRulesCache): Promise<Subscription> {
  return bus.subscribe<OutputAccountDataMessage>({
    topic: OutputAccountData,
    consumer: USERAPI_PUSH_RULES_CONSUMER,
    handler: async (m) => {
      if (m.payload.roomId === null && m.payload.dataType === PUSH_RULES_TYPE) cache.invalidate(m.payload.userId);
    },
  });
}
