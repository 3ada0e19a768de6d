/**
 * Whether one push condition holds for an event (spec "Conditions"). Unknown kinds and malformed
 * conditions never hold, which disables their rule, as the spec requires.
 */
import { globMatch } from './glob.js';
import { lookupProperty, splitPropertyPath } from '../../matrix/property-path.js';
import type { PushCondition } from './push-rule-types.js';
import { isPushScalar, MEMBER_COUNT_IS } from './validate-push-rule.js';

/** What the evaluator knows besides the event: the recipient and the room. */
export type PushEvaluationContext = {
  /** The user whose rules these are. */
  readonly userId: string;
  /** Joined members of the room now (`room_member_count`). */
  readonly roomMemberCount: number;
  /** The user's display name in the room (`contains_display_name`); none never matches. */
  readonly userDisplayName: string | null | undefined;
  /** The sender's power level in the room (`sender_notification_permission`). */
  readonly senderPowerLevel: number;
  /** The `notifications` map of the room's power levels; a missing key needs 50. */
  readonly notificationPowerLevels: Readonly<Record<string, number>>;
};

/** The event as clients see it: `type`, `content`, `sender`, `room_id`, `state_key` … */
export type PushEvent = Readonly<Record<string, unknown>>;

/** The default level of a `notifications` key (`room` defaults to 50 in the power-levels event). */
const DEFAULT_NOTIFICATION_LEVEL = 50;

function property(event: PushEvent, key: unknown): { path: string[]; value: unknown } | undefined {
  if (typeof key !== 'string') return undefined;
  const path = splitPropertyPath(key);
  return { path, value: lookupProperty(event, path) };
}

function eventMatch(c: PushCondition, event: PushEvent): boolean {
  const prop = property(event, c.key);
  if (!prop || typeof prop.value !== 'string' || typeof c.pattern !== 'string') return false;
  // `content.body` is special: the pattern may match any run of whole words.
  const words = prop.path.length === 2 && prop.path[0] === 'content' && prop.path[1] === 'body';
  return globMatch(c.pattern, prop.value, { words });
}

function memberCount(is: unknown, count: number): boolean {
  const m = typeof is === 'string' ? MEMBER_COUNT_IS.exec(is) : null;
  if (!m) return false;
  const n = Number(m[2]);
  switch (m[1]) {
    case '<':
      return count < n;
    case '>':
      return count > n;
    case '<=':
      return count <= n;
    case '>=':
      return count >= n;
    default:
      return count === n;
  }
}

function notificationPermission(key: unknown, ctx: PushEvaluationContext): boolean {
  if (typeof key !== 'string') return false;
  const levels = ctx.notificationPowerLevels;
  const required = Object.hasOwn(levels, key) ? levels[key] : undefined;
  return ctx.senderPowerLevel >= (typeof required === 'number' ? required : DEFAULT_NOTIFICATION_LEVEL);
}

function containsDisplayName(event: PushEvent, name: string | null | undefined): boolean {
  const body = lookupProperty(event, ['content', 'body']);
  if (typeof body !== 'string' || !name) return false;
  return globMatch(name, body, { words: true, literal: true });
}

/** Whether condition `c` holds for `event`. */
export function evaluateCondition(c: PushCondition, event: PushEvent, ctx: PushEvaluationContext): boolean {
  switch (c.kind) {
    case 'event_match':
      return eventMatch(c, event);
    case 'event_property_is': {
      const prop = property(event, c.key);
      return prop !== undefined && isPushScalar(c.value) && isPushScalar(prop.value) && prop.value === c.value;
    }
    case 'event_property_contains': {
      const prop = property(event, c.key);
      const value = c.value;
      return prop !== undefined && Array.isArray(prop.value) && isPushScalar(value) && prop.value.some((v) => isPushScalar(v) && v === value);
    }
    case 'contains_display_name':
      return containsDisplayName(event, ctx.userDisplayName);
    case 'room_member_count':
      return memberCount(c.is, ctx.roomMemberCount);
    case 'sender_notification_permission':
      return notificationPermission(c.key, ctx);
    default:
      return false;
  }
}
