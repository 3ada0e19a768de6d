/**
 * Checks what a client sends to `PUT /pushrules/global/{kind}/{ruleId}` (and `/actions`), and
 * builds the stored rule. Path problems (the rule ID) are `M_INVALID_PARAM`; body problems are
 * `M_BAD_JSON`. The spec names no error codes here; both are 400 as Sytest expects.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isValidRoomAlias } from '../../matrix/ids/room-alias.js';
import { isValidRoomId } from '../../matrix/ids/room-id.js';
import { isValidUserId } from '../../matrix/ids/user-id.js';
import { isJsonObject } from '../../matrix/json.js';
import { isValidPushAction } from './push-actions.js';
import type { PushAction, PushCondition, PushRule, PushRuleKind } from './push-rule-types.js';

/**
 * Rejects a rule ID a client may not create: empty, starting with `.` (reserved for
 * server-default rules), containing `/` or `\` (OpenAPI), or for `room`/`sender` rules not a room
 * or user ID (the rule ID is what they match). A room alias is also let through for `room` rules,
 * because Sytest's "Can add global push rule for room" uses one and Synapse accepts it.
 */
export function checkUserRuleId(kind: PushRuleKind, ruleId: string): void {
  if (ruleId === '') throw MatrixError.invalidParam('The rule ID is empty');
  if (ruleId.startsWith('.')) throw MatrixError.invalidParam('Rule IDs starting with "." are reserved for server-default rules');
  if (/[/\\]/.test(ruleId)) throw MatrixError.invalidParam('Rule IDs may not contain "/" or "\\"');
  if (kind === 'room' && !isValidRoomId(ruleId) && !isValidRoomAlias(ruleId)) {
    throw MatrixError.invalidParam('The rule ID of a room rule is the room ID');
  }
  if (kind === 'sender' && !isValidUserId(ruleId, { allowHistorical: true })) {
    throw MatrixError.invalidParam('The rule ID of a sender rule is the user ID');
  }
}

/** Checks an `actions` array, returning it typed. */
export function validateActions(actions: unknown): PushAction[] {
  if (!Array.isArray(actions)) throw MatrixError.badJson('"actions" must be an array');
  for (const action of actions) {
    if (!isValidPushAction(action)) throw MatrixError.badJson(`Unrecognised action ${JSON.stringify(action)}`);
  }
  return actions as PushAction[];
}

/** A non-compound canonical JSON value, as `event_property_is`/`_contains` compare. */
export function isPushScalar(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || Number.isSafeInteger(v);
}

/** `room_member_count`'s `is`: an optional comparison then a decimal integer. */
export const MEMBER_COUNT_IS = /^(==|<=|>=|<|>)?([0-9]+)$/;

/** The parameter check of each known condition kind; unknown kinds are kept, since they never match. */
const CONDITION_PARAMS: Readonly<Record<string, (c: Readonly<Record<string, unknown>>) => boolean>> = {
  event_match: (c) => typeof c.key === 'string' && typeof c.pattern === 'string',
  event_property_is: (c) => typeof c.key === 'string' && isPushScalar(c.value),
  event_property_contains: (c) => typeof c.key === 'string' && isPushScalar(c.value),
  contains_display_name: () => true,
  room_member_count: (c) => typeof c.is === 'string' && MEMBER_COUNT_IS.test(c.is),
  sender_notification_permission: (c) => typeof c.key === 'string',
};

/** Checks a `conditions` array, returning it typed. */
export function validateConditions(conditions: unknown): PushCondition[] {
  if (!Array.isArray(conditions)) throw MatrixError.badJson('"conditions" must be an array');
  for (const c of conditions) {
    if (!isJsonObject(c) || typeof c.kind !== 'string') throw MatrixError.badJson('Each condition needs a "kind"');
    const check = Object.hasOwn(CONDITION_PARAMS, c.kind) ? CONDITION_PARAMS[c.kind] : undefined;
    if (check && !check(c)) throw MatrixError.badJson(`Missing or invalid parameters for a "${c.kind}" condition`);
  }
  return conditions as PushCondition[];
}

/**
 * Builds a user rule of `kind` from a PUT body, keeping only the fields that kind has: `pattern`
 * for content rules, `conditions` for override/underride (required, as Sytest and Synapse have it,
 * though `[]` is fine), nothing more for room/sender rules.
 */
export function buildUserRule(kind: PushRuleKind, ruleId: string, body: Readonly<Record<string, unknown>>, enabled: boolean): PushRule {
  const actions = validateActions(body.actions);
  const base = { rule_id: ruleId, default: false, enabled, actions };
  switch (kind) {
    case 'override':
    case 'underride':
      if (body.conditions === undefined) throw MatrixError.badJson(`${kind} rules need "conditions"`);
      return { ...base, conditions: validateConditions(body.conditions) };
    case 'content':
      if (typeof body.pattern !== 'string') throw MatrixError.badJson('Content rules need a "pattern" string');
      return { ...base, pattern: body.pattern };
    case 'room':
    case 'sender':
      return base;
  }
}
