/**
 * Auth rule "If type is `m.room.power_levels`": the content must be well formed (users map always;
 * every value from v10; no creators in `users` in v12), and a change may only touch levels at or
 * below the sender's own — with a user's entry other than the sender's needing to be strictly below.
 */
import type { JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { isValidUserId } from '../ids/user-id.js';
import type { AuthContext } from './auth-context.js';
import type { AuthDecision } from './auth-decision.js';
import { allow, deny } from './auth-decision.js';
import { isStrictInteger, powerLevelValue } from './power-level-value.js';
import { NAMED_LEVELS, parseLevelMap } from './power-levels.js';

/** User IDs already in rooms may use the historical grammar, which servers must accept in events. */
const HISTORICAL = { allowHistorical: true } as const;

/** Checks an `m.room.power_levels` event (rules 7 and 8 have already passed). */
export function checkPowerLevelsEvent(ctx: AuthContext): AuthDecision {
  const { event, rv } = ctx;
  const content = event.content;
  if (rv.integerOnlyPowerLevels) {
    for (const key of NAMED_LEVELS) {
      if (key in content && !isStrictInteger(content[key])) {
        return deny('power_levels/invalid_level', `${key} must be an integer`);
      }
    }
    for (const key of ['events', 'notifications'] as const) {
      const map = content[key];
      if (map !== undefined && !(isJsonObject(map) && Object.values(map).every(isStrictInteger))) {
        return deny('power_levels/invalid_map', `${key} must be an object of integers`);
      }
    }
  }
  const users = content.users;
  if (users !== undefined) {
    if (!isJsonObject(users)) return deny('power_levels/invalid_users', 'users must be an object');
    for (const [userId, level] of Object.entries(users)) {
      if (!isValidUserId(userId, HISTORICAL) || powerLevelValue(level, rv) === undefined) {
        return deny('power_levels/invalid_users', `Invalid users entry ${JSON.stringify(userId)}`);
      }
    }
    if (rv.privilegedCreators) {
      const creator = Object.keys(users).find((u) => ctx.power.creators.has(u));
      if (creator !== undefined) {
        return deny('power_levels/creator_in_users', `Room creator ${creator} cannot be given a power level`);
      }
    }
  }
  const previous = ctx.lookup('m.room.power_levels', '');
  if (!previous) return allow('power_levels/initial');
  return checkPowerLevelChanges(ctx, previous.content, content);
}

/** Rules 9.3–9.8 (v10–v11: 9.5–9.10, v12: 10.6–10.11): compare with the current power levels. */
function checkPowerLevelChanges(ctx: AuthContext, before: JsonObject, after: JsonObject): AuthDecision {
  const { event, rv } = ctx;
  const own = ctx.power.userLevel(event.sender);
  for (const key of NAMED_LEVELS) {
    const was = Object.hasOwn(before, key) ? powerLevelValue(before[key], rv) : undefined;
    const now = Object.hasOwn(after, key) ? powerLevelValue(after[key], rv) : undefined;
    if (was === now) continue;
    if (was !== undefined && was > own) {
      return deny('power_levels/level_current_above_own', `You cannot change ${key}: its level ${was} is above yours`);
    }
    if (now !== undefined && now > own) {
      return deny('power_levels/level_new_above_own', `You cannot set ${key} to ${now}, above your level ${own}`);
    }
  }
  const maps = rv.notificationsPowerLevels ? (['events', 'notifications'] as const) : (['events'] as const);
  const parsed = maps.map((m) => [m, parseLevelMap(before[m], rv), parseLevelMap(after[m], rv)] as const);
  for (const [name, was, now] of parsed) {
    for (const [k, level] of was) {
      if (now.get(k) !== level && level > own) {
        return deny(`power_levels/${name}_current_above_own`, `You cannot change ${name}[${k}]: its level is above yours`);
      }
    }
  }
  for (const [name, was, now] of parsed) {
    for (const [k, level] of now) {
      if (was.get(k) !== level && level > own) {
        return deny(`power_levels/${name}_new_above_own`, `You cannot set ${name}[${k}] to ${level}, above your level`);
      }
    }
  }
  const usersWas = parseLevelMap(before.users, rv);
  const usersNow = parseLevelMap(after.users, rv);
  for (const [userId, level] of usersWas) {
    if (userId !== event.sender && usersNow.get(userId) !== level && level >= own) {
      return deny('power_levels/user_current_not_below_own', `You cannot change the level of ${userId}: not below yours`);
    }
  }
  for (const [userId, level] of usersNow) {
    if (usersWas.get(userId) !== level && level > own) {
      return deny('power_levels/raise_above_own', `You cannot give ${userId} level ${level}, above your own`);
    }
  }
  return allow('power_levels/allow');
}
