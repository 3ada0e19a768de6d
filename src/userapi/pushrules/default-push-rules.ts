/**
 * The server-default push rules of spec v1.19 ("Predefined Rules"), in the spec's order and with
 * its exact conditions and actions. v1.17 removed the legacy body-mention rules
 * (`.m.rule.contains_display_name`, `.m.rule.contains_user_name`, `.m.rule.roomnotif`), so there
 * are no default content rules and none depends on the localpart; two depend on the full user ID.
 */
import type { PushAction, PushCondition, PushRule, PushRuleset } from './push-rule-types.js';

// Functions, not shared constants, so no two rules (or two calls) share an object.
const soundDefault = (): PushAction => ({ set_tweak: 'sound', value: 'default' });
const highlight = (): PushAction => ({ set_tweak: 'highlight' });

function rule(ruleId: string, conditions: PushCondition[], actions: PushAction[], enabled = true): PushRule {
  return { rule_id: ruleId, default: true, enabled, conditions, actions };
}

function typeIs(type: string): PushCondition {
  return { kind: 'event_match', key: 'type', pattern: type };
}

/** `state_key` is `""`: the spec's way to say "a state event", since there is no implicit check. */
const emptyStateKey = (): PushCondition => ({ kind: 'event_match', key: 'state_key', pattern: '' });

function overrideRules(userId: string): PushRule[] {
  return [
    rule('.m.rule.master', [], [], false),
    rule('.m.rule.suppress_notices', [{ kind: 'event_match', key: 'content.msgtype', pattern: 'm.notice' }], []),
    rule(
      '.m.rule.invite_for_me',
      [
        typeIs('m.room.member'),
        { kind: 'event_match', key: 'content.membership', pattern: 'invite' },
        { kind: 'event_match', key: 'state_key', pattern: userId },
      ],
      ['notify', soundDefault()],
    ),
    rule('.m.rule.member_event', [typeIs('m.room.member')], []),
    rule(
      '.m.rule.is_user_mention',
      [{ kind: 'event_property_contains', key: 'content.m\\.mentions.user_ids', value: userId }],
      ['notify', soundDefault(), highlight()],
    ),
    rule(
      '.m.rule.is_room_mention',
      [
        { kind: 'event_property_is', key: 'content.m\\.mentions.room', value: true },
        { kind: 'sender_notification_permission', key: 'room' },
      ],
      ['notify', highlight()],
    ),
    rule('.m.rule.tombstone', [typeIs('m.room.tombstone'), emptyStateKey()], ['notify', highlight()]),
    rule('.m.rule.reaction', [typeIs('m.reaction')], []),
    rule('.m.rule.room.server_acl', [typeIs('m.room.server_acl'), emptyStateKey()], []),
    rule('.m.rule.suppress_edits', [{ kind: 'event_property_is', key: 'content.m\\.relates_to.rel_type', value: 'm.replace' }], []),
  ];
}

function underrideRules(): PushRule[] {
  const oneToOne = (): PushCondition => ({ kind: 'room_member_count', is: '2' });
  return [
    rule('.m.rule.call', [typeIs('m.call.invite')], ['notify', { set_tweak: 'sound', value: 'ring' }]),
    rule('.m.rule.encrypted_room_one_to_one', [oneToOne(), typeIs('m.room.encrypted')], ['notify', soundDefault()]),
    rule('.m.rule.room_one_to_one', [oneToOne(), typeIs('m.room.message')], ['notify', soundDefault()]),
    rule('.m.rule.message', [typeIs('m.room.message')], ['notify']),
    rule('.m.rule.encrypted', [typeIs('m.room.encrypted')], ['notify']),
  ];
}

/**
 * The server-default ruleset for `userId`, freshly built (callers may keep or change it).
 *
 * @example defaultPushRules('@alice:example.org').override[0]?.rule_id // '.m.rule.master'
 */
export function defaultPushRules(userId: string): PushRuleset {
  return { override: overrideRules(userId), content: [], room: [], sender: [], underride: underrideRules() };
}
