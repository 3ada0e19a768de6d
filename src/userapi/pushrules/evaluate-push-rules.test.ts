import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPushRuleUpdate, type PushRuleUpdate } from './apply-push-rule-update.js';
import { evaluateCondition, type PushEvaluationContext, type PushEvent } from './evaluate-condition.js';
import { evaluatePushRules } from './evaluate-push-rules.js';
import { mergeWithDefaults } from './merge-with-defaults.js';
import type { PushCondition, PushRuleset, StoredPushRules } from './push-rule-types.js';

const ALICE = '@alice:example.org';
const BOB = '@bob:example.org';
const ROOM = '!room:example.org';

const ctx: PushEvaluationContext = { userId: ALICE, roomMemberCount: 5, userDisplayName: 'Alice', senderPowerLevel: 0, notificationPowerLevels: {} };
const defaults = mergeWithDefaults(undefined, ALICE);

function message(content: Record<string, unknown>, extra: Record<string, unknown> = {}): PushEvent {
  return { type: 'm.room.message', sender: BOB, room_id: ROOM, event_id: '$e', content: { msgtype: 'm.text', body: 'hi', ...content }, ...extra };
}

function winner(event: PushEvent, c: Partial<PushEvaluationContext> = {}, ruleset: PushRuleset = defaults): string | undefined {
  return evaluatePushRules(ruleset, event, { ...ctx, ...c })?.ruleId;
}

function withUpdates(...updates: PushRuleUpdate[]): PushRuleset {
  let s: StoredPushRules | undefined;
  for (const u of updates) s = applyPushRuleUpdate(s, ALICE, u);
  return mergeWithDefaults(s, ALICE);
}

const holds = (c: PushCondition, event: PushEvent, more: Partial<PushEvaluationContext> = {}): boolean => evaluateCondition(c, event, { ...ctx, ...more });

describe('evaluatePushRules with the default rules', () => {
  it('notifies for a plain message in a group room via .m.rule.message', () => {
    assert.deepEqual(evaluatePushRules(defaults, message({}), ctx), { kind: 'underride', ruleId: '.m.rule.message', actions: ['notify'] });
  });

  it('uses the one-to-one rules only in rooms of exactly two members', () => {
    assert.equal(winner(message({}), { roomMemberCount: 2 }), '.m.rule.room_one_to_one');
    assert.equal(winner(message({}), { roomMemberCount: 3 }), '.m.rule.message');
    const encrypted = { type: 'm.room.encrypted', sender: BOB, room_id: ROOM, content: { algorithm: 'm.megolm.v1.aes-sha2' } };
    assert.equal(winner(encrypted, { roomMemberCount: 2 }), '.m.rule.encrypted_room_one_to_one');
    assert.equal(winner(encrypted, { roomMemberCount: 1 }), '.m.rule.encrypted');
  });

  it('highlights a user mention in m.mentions.user_ids', () => {
    const m = evaluatePushRules(defaults, message({ 'm.mentions': { user_ids: ['@carol:x', ALICE] } }), ctx);
    assert.deepEqual(m, { kind: 'override', ruleId: '.m.rule.is_user_mention', actions: ['notify', { set_tweak: 'sound', value: 'default' }, { set_tweak: 'highlight' }] });
    assert.equal(winner(message({ 'm.mentions': { user_ids: ['@carol:x'] } })), '.m.rule.message');
  });

  it('reads m.mentions as one property name, not a path', () => {
    assert.equal(winner(message({ m: { mentions: { user_ids: [ALICE] } } })), '.m.rule.message');
    assert.equal(winner(message({ 'm.mentions.user_ids': [ALICE] })), '.m.rule.message');
  });

  it('honours an @room mention only from a sender with the notifications.room level', () => {
    const roomMention = message({ 'm.mentions': { room: true } });
    assert.equal(winner(roomMention, { senderPowerLevel: 50 }), '.m.rule.is_room_mention');
    assert.equal(winner(roomMention, { senderPowerLevel: 49 }), '.m.rule.message', 'default level is 50');
    assert.equal(winner(roomMention, { senderPowerLevel: 0, notificationPowerLevels: { room: 0 } }), '.m.rule.is_room_mention');
    assert.equal(winner(message({ 'm.mentions': { room: 'true' } }), { senderPowerLevel: 100 }), '.m.rule.message');
  });

  it('suppresses edits by m.relates_to.rel_type, but not other relations', () => {
    const edit = message({ 'm.new_content': { body: 'x' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$o' } });
    assert.deepEqual(evaluatePushRules(defaults, edit, ctx), { kind: 'override', ruleId: '.m.rule.suppress_edits', actions: [] });
    // The spec lists is_user_mention first: an edit that newly mentions the user still notifies.
    assert.equal(winner(message({ ...(edit.content as object), 'm.mentions': { user_ids: [ALICE] } })), '.m.rule.is_user_mention');
    assert.equal(winner(message({ 'm.relates_to': { rel_type: 'm.thread', event_id: '$o' } })), '.m.rule.message');
  });

  it('suppresses notices, reactions, other membership and server ACLs', () => {
    assert.equal(winner(message({ msgtype: 'm.notice' })), '.m.rule.suppress_notices');
    assert.equal(winner({ type: 'm.reaction', sender: BOB, room_id: ROOM, content: {} }), '.m.rule.reaction');
    const join = { type: 'm.room.member', sender: BOB, room_id: ROOM, state_key: BOB, content: { membership: 'join' } };
    assert.equal(winner(join), '.m.rule.member_event');
    assert.equal(winner({ type: 'm.room.server_acl', sender: BOB, room_id: ROOM, state_key: '', content: {} }), '.m.rule.room.server_acl');
  });

  it('notifies for an invite to this user only', () => {
    const invite = (target: string): PushEvent => ({ type: 'm.room.member', sender: BOB, room_id: ROOM, state_key: target, content: { membership: 'invite' } });
    assert.equal(winner(invite(ALICE)), '.m.rule.invite_for_me');
    assert.equal(winner(invite('@carol:example.org')), '.m.rule.member_event');
  });

  it('matches a tombstone only as a state event', () => {
    const tombstone = { type: 'm.room.tombstone', sender: BOB, room_id: ROOM, content: { body: 'moved', replacement_room: '!n:x' } };
    assert.equal(winner({ ...tombstone, state_key: '' }), '.m.rule.tombstone');
    assert.equal(winner(tombstone), undefined);
  });

  it('rings for a call invite', () => {
    assert.deepEqual(evaluatePushRules(defaults, { type: 'm.call.invite', sender: BOB, room_id: ROOM, content: {} }, ctx)?.actions, ['notify', { set_tweak: 'sound', value: 'ring' }]);
  });

  it('matches nothing for other events, and never for the user’s own events', () => {
    assert.equal(evaluatePushRules(defaults, { type: 'm.room.topic', sender: BOB, room_id: ROOM, state_key: '', content: { topic: 't' } }, ctx), null);
    assert.equal(evaluatePushRules(defaults, message({}, { sender: ALICE }), ctx), null);
  });

  it('stops everything once the master rule is enabled', () => {
    const muted = withUpdates({ kind: 'override', ruleId: '.m.rule.master', op: { type: 'enabled', enabled: true } });
    assert.deepEqual(evaluatePushRules(muted, message({ 'm.mentions': { user_ids: [ALICE] } }), ctx), { kind: 'override', ruleId: '.m.rule.master', actions: [] });
  });
});

describe('evaluatePushRules with user rules', () => {
  it('checks kinds in order override, content, room, sender, underride', () => {
    const rules = withUpdates(
      { kind: 'underride', ruleId: 'u', op: { type: 'put', rule: { conditions: [], actions: ['notify'] } } },
      { kind: 'sender', ruleId: BOB, op: { type: 'put', rule: { actions: [] } } },
      { kind: 'room', ruleId: ROOM, op: { type: 'put', rule: { actions: [] } } },
      { kind: 'content', ruleId: 'cake', op: { type: 'put', rule: { pattern: 'cake', actions: ['notify'] } } },
    );
    assert.equal(winner(message({ body: 'Cake!' }), {}, rules), 'cake');
    assert.equal(winner(message({ body: 'cakes' }), {}, rules), ROOM);
    assert.equal(winner(message({}, { room_id: '!other:x' }), {}, rules), BOB);
    assert.equal(winner(message({}, { room_id: '!other:x', sender: '@carol:x' }), {}, rules), 'u');
    assert.equal(winner(message({ msgtype: 'm.notice' }), {}, rules), '.m.rule.suppress_notices', 'default overrides beat content rules');
  });

  it('puts user overrides above default overrides, and skips disabled rules', () => {
    const loud = { kind: 'override', ruleId: 'notices', op: { type: 'put', rule: { conditions: [{ kind: 'event_match', key: 'content.msgtype', pattern: 'M.NOTICE' }], actions: ['notify'] } } } as const;
    assert.equal(winner(message({ msgtype: 'm.notice' }), {}, withUpdates(loud)), 'notices', 'event_match ignores case');
    const off = withUpdates(loud, { kind: 'override', ruleId: 'notices', op: { type: 'enabled', enabled: false } });
    assert.equal(winner(message({ msgtype: 'm.notice' }), {}, off), '.m.rule.suppress_notices');
  });

  it('strips the historical actions from the result', () => {
    const rules = withUpdates({ kind: 'room', ruleId: ROOM, op: { type: 'put', rule: { actions: ['dont_notify', 'notify', 'coalesce'] } } });
    assert.deepEqual(evaluatePushRules(rules, message({}), ctx)?.actions, ['notify']);
  });

  it('never matches a rule with an unknown condition', () => {
    const rules = withUpdates({ kind: 'override', ruleId: 'future', op: { type: 'put', rule: { conditions: [{ kind: 'org.example.future' }], actions: ['notify'] } } });
    assert.equal(winner(message({}), {}, rules), '.m.rule.message');
  });
});

describe('evaluateCondition', () => {
  it('event_match: globs with * and ?, whole value, string values only', () => {
    const topic = (t: unknown): PushEvent => ({ type: 'm.room.topic', content: { topic: t } });
    const c = { kind: 'event_match', key: 'content.topic', pattern: 'lunc?*' };
    assert.equal(holds(c, topic('Lunch plans')), true);
    assert.equal(holds(c, topic('LUNCH')), true);
    assert.equal(holds(c, topic(' lunch')), false);
    assert.equal(holds(c, topic('lunc')), false);
    assert.equal(holds(c, topic(null)), false);
    const any = { kind: 'event_match', key: 'content.topic', pattern: '*' };
    assert.equal(holds(any, topic(5)), false, 'not a string, even for *');
    assert.equal(holds(any, { content: {} }), false, 'absent, even for *');
  });

  it('event_match on content.body matches at word boundaries', () => {
    const c = { kind: 'event_match', key: 'content.body', pattern: 'ex*ple' };
    assert.equal(holds(c, message({ body: 'An example event.' })), true);
    assert.equal(holds(c, message({ body: 'An exciting triple-whammy' })), true);
    assert.equal(holds(c, message({ body: 'examples' })), false);
    assert.equal(holds({ kind: 'event_match', key: 'content.msgtype', pattern: 'text' }, message({})), false, 'other keys need the whole value');
  });

  it('event_match follows escaped dots in keys', () => {
    const event = { content: { 'm.relates_to': { rel_type: 'm.thread' }, m: { relates_to: { rel_type: 'other' } } } };
    assert.equal(holds({ kind: 'event_match', key: 'content.m\\.relates_to.rel_type', pattern: 'm.thread' }, event), true);
    assert.equal(holds({ kind: 'event_match', key: 'content.m.relates_to.rel_type', pattern: 'other' }, event), true);
    assert.equal(holds({ kind: 'event_match', key: 'content.m.relates_to.rel_type', pattern: 'm.thread' }, event), false);
  });

  it("event_property_is: exact value and type, as in the spec's m.federate example", () => {
    const create = (v: unknown): PushEvent => ({ type: 'm.room.create', content: { 'm.federate': v } });
    const c = { kind: 'event_property_is', key: 'content.m\\.federate', value: true };
    assert.equal(holds(c, create(true)), true);
    assert.equal(holds(c, create('true')), false);
    assert.equal(holds(c, create(1)), false);
    assert.equal(holds({ kind: 'event_property_is', key: 'content.x', value: null }, { content: { x: null } }), true);
    assert.equal(holds({ kind: 'event_property_is', key: 'content.x', value: null }, { content: {} }), false, 'absent is not null');
    assert.equal(holds({ kind: 'event_property_is', key: 'content.x', value: 3 }, { content: { x: 3 } }), true);
    assert.equal(holds({ kind: 'event_property_is', key: 'content.x', value: 'A' }, { content: { x: 'a' } }), false, 'case-sensitive');
    assert.equal(holds({ kind: 'event_property_is', key: 'content.x', value: 1.5 }, { content: { x: 1.5 } }), false, 'floats are not canonical JSON');
  });

  it("event_property_contains: exact element of an array, as in the spec's alt_aliases example", () => {
    const c = { kind: 'event_property_contains', key: 'content.alt_aliases', value: '#myroom:example.com' };
    assert.equal(holds(c, { content: { alt_aliases: ['#somewhere:example.org', '#myroom:example.com'] } }), true);
    assert.equal(holds({ ...c, value: ':example.com' }, { content: { alt_aliases: ['#myroom:example.com'] } }), false);
    assert.equal(holds(c, { content: { alt_aliases: '#myroom:example.com' } }), false, 'not an array');
    assert.equal(holds({ ...c, value: 2 }, { content: { alt_aliases: [[2], { a: 2 }, 2] } }), true, 'compound elements are skipped');
  });

  it('contains_display_name: the display name as a whole word in the body', () => {
    const c = { kind: 'contains_display_name' };
    assert.equal(holds(c, message({ body: 'hey ALICE, lunch?' })), true);
    assert.equal(holds(c, message({ body: 'Alicea' })), false);
    assert.equal(holds(c, message({ body: 'Alice' }), { userDisplayName: null }), false);
    assert.equal(holds(c, message({ body: 'Alice' }), { userDisplayName: '' }), false);
    assert.equal(holds(c, message({ body: 'xx' }), { userDisplayName: '*' }), false, 'the name is not a glob');
    assert.equal(holds(c, message({ body: 'a * b' }), { userDisplayName: '*' }), true);
  });

  it('room_member_count: every comparison, == by default', () => {
    const at = (is: string, n: number): boolean => holds({ kind: 'room_member_count', is }, {}, { roomMemberCount: n });
    assert.deepEqual([at('2', 2), at('2', 3), at('==2', 2), at('==2', 1)], [true, false, true, false]);
    assert.deepEqual([at('<10', 9), at('<10', 10), at('>10', 11), at('>10', 10)], [true, false, true, false]);
    assert.deepEqual([at('<=10', 10), at('<=10', 11), at('>=10', 10), at('>=10', 9)], [true, false, true, false]);
    assert.deepEqual([at('=2', 2), at(' 2', 2), at('two', 2)], [false, false, false], 'malformed never holds');
  });

  it('sender_notification_permission: the level under notifications, 50 when unset', () => {
    const c = { kind: 'sender_notification_permission', key: 'custom' };
    assert.equal(holds(c, {}, { senderPowerLevel: 50 }), true);
    assert.equal(holds(c, {}, { senderPowerLevel: 49 }), false);
    assert.equal(holds(c, {}, { senderPowerLevel: 10, notificationPowerLevels: { custom: 10 } }), true);
    assert.equal(holds(c, {}, { senderPowerLevel: 99, notificationPowerLevels: { custom: 100 } }), false);
    assert.equal(holds({ kind: 'sender_notification_permission', key: 'toString' }, {}, { senderPowerLevel: 50 }), true, 'own keys only');
  });

  it('unknown or malformed conditions never hold', () => {
    assert.equal(holds({ kind: 'org.example.future' }, message({})), false);
    assert.equal(holds({ kind: 'event_match', key: 'type' }, message({})), false);
    assert.equal(holds({ kind: 'event_property_is', value: 'x' }, message({})), false);
  });
});
