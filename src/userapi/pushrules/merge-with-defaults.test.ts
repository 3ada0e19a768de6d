import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPushRules } from './default-push-rules.js';
import { asStoredPushRules, mergeWithDefaults } from './merge-with-defaults.js';
import type { PushRule, StoredPushRules } from './push-rule-types.js';

const ALICE = '@alice:example.org';
const ids = (rules: readonly PushRule[]): string[] => rules.map((r) => r.rule_id);

function stored(global: Record<string, unknown>): StoredPushRules {
  return { global: { override: [], content: [], room: [], sender: [], underride: [], ...global } } as StoredPushRules;
}

const userOverride: PushRule = {
  rule_id: 'beer',
  default: false,
  enabled: true,
  conditions: [{ kind: 'event_match', key: 'content.body', pattern: 'beer' }],
  actions: ['notify'],
};

describe('mergeWithDefaults', () => {
  it('gives a new user the server defaults', () => {
    assert.deepEqual(mergeWithDefaults(undefined, ALICE), defaultPushRules(ALICE));
  });

  it('puts user override rules after .m.rule.master and before the other defaults', () => {
    const merged = mergeWithDefaults(stored({ override: [userOverride] }), ALICE);
    assert.deepEqual(ids(merged.override).slice(0, 3), ['.m.rule.master', 'beer', '.m.rule.suppress_notices']);
    assert.equal(merged.override.length, 11);
  });

  it('puts user underride rules before the default underrides, and keeps user order', () => {
    const u1 = { ...userOverride, rule_id: 'u1' };
    const u2 = { ...userOverride, rule_id: 'u2' };
    const merged = mergeWithDefaults(stored({ underride: [u1, u2] }), ALICE);
    assert.deepEqual(ids(merged.underride), ['u1', 'u2', '.m.rule.call', '.m.rule.encrypted_room_one_to_one', '.m.rule.room_one_to_one', '.m.rule.message', '.m.rule.encrypted']);
  });

  it("keeps the user's enabled and actions on default rules", () => {
    const defaults = defaultPushRules(ALICE);
    const override = defaults.override.map((r) => (r.rule_id === '.m.rule.master' ? { ...r, enabled: true } : r));
    const underride = defaults.underride.map((r) => (r.rule_id === '.m.rule.message' ? { ...r, actions: ['dont_notify'] } : r));
    const merged = mergeWithDefaults(stored({ override, underride }), ALICE);
    assert.equal(merged.override[0]?.enabled, true);
    assert.deepEqual(merged.underride.find((r) => r.rule_id === '.m.rule.message')?.actions, ['dont_notify']);
    assert.equal(merged.override[1]?.enabled, true);
  });

  it("takes default rules' conditions from the server, not from storage", () => {
    const stale = { rule_id: '.m.rule.suppress_notices', default: true, enabled: false, conditions: [{ kind: 'event_match', key: 'x', pattern: 'y' }], actions: ['notify'] };
    const merged = mergeWithDefaults(stored({ override: [stale] }), ALICE);
    const rule = merged.override.find((r) => r.rule_id === '.m.rule.suppress_notices');
    assert.deepEqual(rule, { rule_id: '.m.rule.suppress_notices', default: true, enabled: false, conditions: [{ kind: 'event_match', key: 'content.msgtype', pattern: 'm.notice' }], actions: ['notify'] });
  });

  it('drops defaults the server no longer has, and a default stored under another kind', () => {
    const gone = { rule_id: '.m.rule.contains_user_name', default: true, enabled: true, pattern: 'alice', actions: ['notify'] };
    const misplaced = { rule_id: '.m.rule.master', default: true, enabled: true, actions: [] };
    const merged = mergeWithDefaults(stored({ content: [gone], underride: [misplaced] }), ALICE);
    assert.deepEqual(merged.content, []);
    assert.equal(merged.override[0]?.enabled, false);
    assert.equal(ids(merged.underride).includes('.m.rule.master'), false);
  });

  it('normalises user rules to their kind and drops malformed or repeated ones', () => {
    const merged = mergeWithDefaults(
      stored({
        room: [
          { rule_id: '!r:example.org', default: true, actions: [], conditions: [{ kind: 'x' }] },
          { rule_id: '!r:example.org', actions: ['notify'] },
          { rule_id: '!s:example.org', actions: ['not_an_action'] },
          'junk',
        ],
        content: [{ rule_id: 'nopattern', actions: [] }, { rule_id: 'cake', enabled: false, pattern: 'cake', actions: ['notify'] }],
        override: [{ rule_id: 'bad', actions: [], conditions: [{ key: 'no kind' }] }, { rule_id: 'noconds', actions: [] }],
      }),
      ALICE,
    );
    assert.deepEqual(merged.room, [{ rule_id: '!r:example.org', default: false, enabled: true, actions: [] }]);
    assert.deepEqual(merged.content, [{ rule_id: 'cake', default: false, enabled: false, pattern: 'cake', actions: ['notify'] }]);
    assert.deepEqual(merged.override[1], { rule_id: 'noconds', default: false, enabled: true, conditions: [], actions: [] });
    assert.equal(merged.override.length, 11);
  });

  it('survives storage that is not a ruleset at all', () => {
    const junk = { global: { override: 'x', content: null } } as unknown as StoredPushRules;
    assert.deepEqual(mergeWithDefaults(junk, ALICE), defaultPushRules(ALICE));
  });
});

describe('asStoredPushRules', () => {
  it('accepts account data with a global object and rejects anything else', () => {
    const content = { global: { override: [] } };
    assert.equal(asStoredPushRules(content), content);
    assert.equal(asStoredPushRules({ global: [] }), undefined);
    assert.equal(asStoredPushRules({}), undefined);
    assert.equal(asStoredPushRules(null), undefined);
    assert.equal(asStoredPushRules(undefined), undefined);
  });
});
