import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { applyPushRuleUpdate, type PushRuleUpdate } from './apply-push-rule-update.js';
import { defaultPushRules } from './default-push-rules.js';
import { getPushRule } from './get-push-rule.js';
import { mergeWithDefaults } from './merge-with-defaults.js';
import type { PushRule, PushRuleKind, StoredPushRules } from './push-rule-types.js';

const ALICE = '@alice:example.org';
const ids = (rules: readonly PushRule[]): string[] => rules.map((r) => r.rule_id);

/** Applies updates in turn, each through a JSON round trip as account data storage would do. */
function applyAll(...updates: PushRuleUpdate[]): StoredPushRules | undefined {
  let current: StoredPushRules | undefined;
  for (const u of updates) current = JSON.parse(JSON.stringify(applyPushRuleUpdate(current, ALICE, u))) as StoredPushRules;
  return current;
}

function put(kind: PushRuleKind, ruleId: string, rule: Record<string, unknown>, where: { before?: string; after?: string } = {}): PushRuleUpdate {
  return { kind, ruleId, op: { type: 'put', rule, ...where } };
}
const room = (id: string, where?: { before?: string; after?: string }): PushRuleUpdate => put('room', id, { actions: ['notify'] }, where);

function rejects(status: number, errcode: string, current: StoredPushRules | undefined, update: PushRuleUpdate): void {
  assert.throws(
    () => applyPushRuleUpdate(current, ALICE, update),
    (e: unknown) => e instanceof MatrixError && e.status === status && e.errcode === errcode,
  );
}

describe('applyPushRuleUpdate: put', () => {
  it('adds each kind of rule with only the fields of its kind', () => {
    const s = applyAll(
      put('room', '!r:example.org', { actions: ['notify'], conditions: [], pattern: 'x' }),
      put('sender', '@bob:example.com', { actions: [] }),
      put('content', 'cake', { pattern: 'cake*lie', actions: ['notify', { set_tweak: 'sound', value: 'cakealarm.wav' }] }),
      put('override', 'beer', { conditions: [{ kind: 'event_match', key: 'content.body', pattern: 'beer' }, { kind: 'room_member_count', is: '<=10' }], actions: ['notify'] }),
      put('underride', 'u', { conditions: [], actions: [] }),
    );
    const g = s?.global;
    assert.deepEqual(g?.room, [{ rule_id: '!r:example.org', default: false, enabled: true, actions: ['notify'] }]);
    assert.deepEqual(g?.sender, [{ rule_id: '@bob:example.com', default: false, enabled: true, actions: [] }]);
    assert.deepEqual(g?.content, [{ rule_id: 'cake', default: false, enabled: true, pattern: 'cake*lie', actions: ['notify', { set_tweak: 'sound', value: 'cakealarm.wav' }] }]);
    assert.deepEqual(ids(g?.override ?? []).slice(0, 3), ['.m.rule.master', 'beer', '.m.rule.suppress_notices']);
    assert.deepEqual(ids(g?.underride ?? []).slice(0, 2), ['u', '.m.rule.call']);
  });

  it('returns the whole ruleset, defaults included, as the m.push_rules content', () => {
    const s = applyAll(room('!a:x'));
    // Compiles only while StoredPushRules fits account data content (type aliases, not interfaces).
    const content: Record<string, unknown> | undefined = s;
    assert.deepEqual(content, { global: { ...defaultPushRules(ALICE), room: [{ rule_id: '!a:x', default: false, enabled: true, actions: ['notify'] }] } });
  });

  it('puts a new rule first among user rules of its kind', () => {
    assert.deepEqual(ids(applyAll(room('!a:x'), room('!b:x'), room('!c:x'))?.global.room ?? []), ['!c:x', '!b:x', '!a:x']);
  });

  it('places a rule before or after another', () => {
    assert.deepEqual(ids(applyAll(room('!a:x'), room('!b:x', { before: '!a:x' }))?.global.room ?? []), ['!b:x', '!a:x']);
    assert.deepEqual(ids(applyAll(room('!a:x'), room('!b:x'), room('!c:x', { after: '!a:x' }))?.global.room ?? []), ['!b:x', '!a:x', '!c:x']);
    assert.deepEqual(ids(applyAll(room('!a:x'), room('!b:x'), room('!c:x', { after: '!b:x' }))?.global.room ?? []), ['!b:x', '!c:x', '!a:x']);
  });

  it('follows before when both before and after are given', () => {
    const s = applyAll(room('!a:x'), room('!b:x'), room('!c:x', { before: '!a:x', after: '!b:x' }));
    assert.deepEqual(ids(s?.global.room ?? []), ['!b:x', '!c:x', '!a:x']);
    const t = applyAll(room('!a:x'), room('!b:x'), room('!c:x', { before: '!b:x', after: '!a:x' }));
    assert.deepEqual(ids(t?.global.room ?? []), ['!c:x', '!b:x', '!a:x']);
  });

  it('moves an existing rule when given a place, and keeps its place otherwise', () => {
    const moved = applyAll(room('!a:x'), room('!b:x'), room('!c:x'), room('!c:x', { after: '!a:x' }));
    assert.deepEqual(ids(moved?.global.room ?? []), ['!b:x', '!a:x', '!c:x']);
    const kept = applyAll(room('!a:x'), room('!b:x'), put('room', '!a:x', { actions: [] }));
    assert.deepEqual(kept?.global.room, [
      { rule_id: '!b:x', default: false, enabled: true, actions: ['notify'] },
      { rule_id: '!a:x', default: false, enabled: true, actions: [] },
    ]);
  });

  it('keeps a disabled rule disabled when it is updated', () => {
    const s = applyAll(room('!a:x'), { kind: 'room', ruleId: '!a:x', op: { type: 'enabled', enabled: false } }, put('room', '!a:x', { actions: [] }));
    assert.equal(s?.global.room[0]?.enabled, false);
  });

  it('accepts a room alias as a room rule ID (Sytest) and a historical user ID as a sender rule ID', () => {
    assert.equal(applyAll(room('#spam:example.com'))?.global.room[0]?.rule_id, '#spam:example.com');
    assert.equal(applyAll(put('sender', '@Bob:example.com', { actions: [] }))?.global.sender[0]?.rule_id, '@Bob:example.com');
  });

  it('accepts unknown condition kinds (they never match) and the historical actions', () => {
    const s = applyAll(put('override', 'x', { conditions: [{ kind: 'org.example.future', foo: 1 }], actions: ['dont_notify', 'coalesce'] }));
    assert.deepEqual(s?.global.override[1], { rule_id: 'x', default: false, enabled: true, conditions: [{ kind: 'org.example.future', foo: 1 }], actions: ['dont_notify', 'coalesce'] });
  });
});

describe('applyPushRuleUpdate: put errors', () => {
  const twoRooms = applyAll(room('!a:x'), room('!b:x'));

  it('rejects rule IDs a client may not use with M_INVALID_PARAM', () => {
    rejects(400, 'M_INVALID_PARAM', undefined, put('override', '.m.rule.master', { conditions: [], actions: [] }));
    rejects(400, 'M_INVALID_PARAM', undefined, put('override', '.mine', { conditions: [], actions: [] }));
    rejects(400, 'M_INVALID_PARAM', undefined, put('content', 'a/b', { pattern: 'x', actions: [] }));
    rejects(400, 'M_INVALID_PARAM', undefined, put('room', '#fo\\o:example.com', { actions: [] }));
    rejects(400, 'M_INVALID_PARAM', undefined, put('content', '', { pattern: 'x', actions: [] }));
    rejects(400, 'M_INVALID_PARAM', undefined, put('room', 'not-a-room', { actions: [] }));
    rejects(400, 'M_INVALID_PARAM', undefined, put('sender', 'bob', { actions: [] }));
    rejects(400, 'M_INVALID_PARAM', undefined, put('sender', '!r:example.org', { actions: [] }));
  });

  it('rejects malformed bodies with M_BAD_JSON', () => {
    rejects(400, 'M_BAD_JSON', undefined, put('room', '!a:x', {}));
    rejects(400, 'M_BAD_JSON', undefined, put('room', '!a:x', { actions: 'notify' }));
    rejects(400, 'M_BAD_JSON', undefined, put('room', '!a:x', { actions: ['not_an_action'] }));
    rejects(400, 'M_BAD_JSON', undefined, put('room', '!a:x', { actions: [{ value: 'x' }] }));
    rejects(400, 'M_BAD_JSON', undefined, put('override', 'x', { actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('underride', 'x', { actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('underride', 'x', { conditions: {}, actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('underride', 'x', { conditions: [{}], actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('override', 'x', { conditions: [{ kind: 'event_match', key: 'type' }], actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('override', 'x', { conditions: [{ kind: 'event_property_is', key: 'a', value: 1.5 }], actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('override', 'x', { conditions: [{ kind: 'event_property_contains', key: 'a', value: ['x'] }], actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('override', 'x', { conditions: [{ kind: 'room_member_count', is: '=2' }], actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('override', 'x', { conditions: [{ kind: 'sender_notification_permission' }], actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('content', 'x', { actions: [] }));
    rejects(400, 'M_BAD_JSON', undefined, put('content', 'x', { pattern: 5, actions: [] }));
  });

  it('rejects before/after naming a server-default rule with M_INVALID_PARAM', () => {
    rejects(400, 'M_INVALID_PARAM', undefined, put('override', 'x', { conditions: [], actions: [] }, { before: '.m.rule.master' }));
    rejects(400, 'M_INVALID_PARAM', undefined, put('underride', 'x', { conditions: [], actions: [] }, { after: '.m.rule.message' }));
  });

  it("rejects before/after naming no rule with the spec's 400 M_UNKNOWN", () => {
    rejects(400, 'M_UNKNOWN', twoRooms, room('!c:x', { before: '!nope:x' }));
    rejects(400, 'M_UNKNOWN', twoRooms, room('!c:x', { after: '!nope:x' }));
    rejects(400, 'M_UNKNOWN', twoRooms, room('!a:x', { after: '!a:x' }));
    // A rule of another kind is not a neighbour.
    rejects(400, 'M_UNKNOWN', twoRooms, put('sender', '@b:x', { actions: [] }, { before: '!a:x' }));
  });

  it('rejects an unknown kind', () => {
    rejects(400, 'M_INVALID_PARAM', undefined, { kind: 'global' as PushRuleKind, ruleId: 'x', op: { type: 'delete' } });
  });
});

describe('applyPushRuleUpdate: delete', () => {
  it('removes a user rule', () => {
    const s = applyAll(room('!a:x'), room('!b:x'), { kind: 'room', ruleId: '!a:x', op: { type: 'delete' } });
    assert.deepEqual(ids(s?.global.room ?? []), ['!b:x']);
  });

  it('answers 404 M_NOT_FOUND for an unknown rule, also one of another kind', () => {
    rejects(404, 'M_NOT_FOUND', undefined, { kind: 'room', ruleId: '!a:x', op: { type: 'delete' } });
    rejects(404, 'M_NOT_FOUND', applyAll(room('!a:x')), { kind: 'sender', ruleId: '!a:x', op: { type: 'delete' } });
  });

  it('refuses to delete a server-default rule', () => {
    rejects(400, 'M_INVALID_PARAM', undefined, { kind: 'override', ruleId: '.m.rule.master', op: { type: 'delete' } });
  });
});

describe('applyPushRuleUpdate: enabled and actions', () => {
  it('changes a user rule', () => {
    const s = applyAll(
      room('!a:x'),
      { kind: 'room', ruleId: '!a:x', op: { type: 'enabled', enabled: false } },
      { kind: 'room', ruleId: '!a:x', op: { type: 'actions', actions: ['dont_notify'] } },
    );
    assert.deepEqual(s?.global.room, [{ rule_id: '!a:x', default: false, enabled: false, actions: ['dont_notify'] }]);
  });

  it('changes default rules, and the changes survive storage and later updates', () => {
    const s = applyAll(
      { kind: 'override', ruleId: '.m.rule.master', op: { type: 'enabled', enabled: true } },
      { kind: 'underride', ruleId: '.m.rule.message', op: { type: 'actions', actions: [] } },
      room('!a:x'),
      put('override', 'o', { conditions: [], actions: [] }),
    );
    const merged = mergeWithDefaults(s, ALICE);
    assert.deepEqual(getPushRule(merged, 'override', '.m.rule.master'), { rule_id: '.m.rule.master', default: true, enabled: true, conditions: [], actions: [] });
    const message = getPushRule(merged, 'underride', '.m.rule.message');
    assert.deepEqual(message.actions, []);
    assert.equal(message.default, true);
    assert.deepEqual(message.conditions, [{ kind: 'event_match', key: 'type', pattern: 'm.room.message' }]);
    assert.deepEqual(ids(merged.override).slice(0, 3), ['.m.rule.master', 'o', '.m.rule.suppress_notices']);
  });

  it('answers 404 for an unknown rule, a default under the wrong kind, or an unknown default', () => {
    rejects(404, 'M_NOT_FOUND', undefined, { kind: 'sender', ruleId: '@bob:example.com', op: { type: 'actions', actions: ['notify'] } });
    rejects(404, 'M_NOT_FOUND', undefined, { kind: 'underride', ruleId: '.m.rule.master', op: { type: 'enabled', enabled: true } });
    rejects(404, 'M_NOT_FOUND', undefined, { kind: 'override', ruleId: '.not.a.default.rule', op: { type: 'enabled', enabled: true } });
    rejects(404, 'M_NOT_FOUND', undefined, { kind: 'override', ruleId: '.not.a.default.rule', op: { type: 'actions', actions: ['notify'] } });
  });

  it('rejects invalid actions or enabled values with M_BAD_JSON', () => {
    rejects(400, 'M_BAD_JSON', undefined, { kind: 'override', ruleId: '.m.rule.master', op: { type: 'actions', actions: ['bogus'] } });
    rejects(400, 'M_BAD_JSON', undefined, { kind: 'override', ruleId: '.m.rule.master', op: { type: 'enabled', enabled: 'yes' as unknown as boolean } });
  });
});

describe('getPushRule', () => {
  const merged = mergeWithDefaults(applyAll(put('content', 'nocake', { pattern: 'cake*lie', actions: [] })), ALICE);

  it('finds user and default rules', () => {
    assert.deepEqual(getPushRule(merged, 'content', 'nocake'), { rule_id: 'nocake', default: false, enabled: true, pattern: 'cake*lie', actions: [] });
    assert.equal(getPushRule(merged, 'underride', '.m.rule.call').rule_id, '.m.rule.call');
  });

  it('answers 404 M_NOT_FOUND for an unknown rule or the wrong kind', () => {
    for (const [kind, id] of [['override', 'not_a_rule_id'], ['override', 'nocake'], ['override', '.m.rule.call']] as const) {
      assert.throws(() => getPushRule(merged, kind, id), (e: unknown) => e instanceof MatrixError && e.status === 404 && e.errcode === 'M_NOT_FOUND');
    }
  });

  it('answers 400 for an unknown kind', () => {
    assert.throws(() => getPushRule(merged, 'global' as PushRuleKind, 'x'), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_INVALID_PARAM');
  });
});
