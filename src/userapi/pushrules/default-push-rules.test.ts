import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPushRules } from './default-push-rules.js';
import { PUSH_RULE_KINDS } from './push-rule-types.js';

// The spec's Definition blocks, extracted verbatim from the v1.19 prose (see `_source` in the file).
const spec = JSON.parse(readFileSync(new URL('./testdata/spec-default-rules.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('defaultPushRules', () => {
  const rules = defaultPushRules('@alice:example.org');

  it('lists the spec v1.19 rule IDs in order', () => {
    assert.deepEqual(
      rules.override.map((r) => r.rule_id),
      [
        '.m.rule.master',
        '.m.rule.suppress_notices',
        '.m.rule.invite_for_me',
        '.m.rule.member_event',
        '.m.rule.is_user_mention',
        '.m.rule.is_room_mention',
        '.m.rule.tombstone',
        '.m.rule.reaction',
        '.m.rule.room.server_acl',
        '.m.rule.suppress_edits',
      ],
    );
    assert.deepEqual(rules.content, []);
    assert.deepEqual(rules.room, []);
    assert.deepEqual(rules.sender, []);
    assert.deepEqual(
      rules.underride.map((r) => r.rule_id),
      ['.m.rule.call', '.m.rule.encrypted_room_one_to_one', '.m.rule.room_one_to_one', '.m.rule.message', '.m.rule.encrypted'],
    );
  });

  for (const kind of PUSH_RULE_KINDS) {
    it(`matches the spec's ${kind} definitions exactly (conditions, actions, enabled)`, () => {
      assert.deepEqual(rules[kind], spec[kind]);
    });
  }

  it('puts the user ID where the spec says', () => {
    const bob = defaultPushRules('@bob:example.com');
    const invite = bob.override.find((r) => r.rule_id === '.m.rule.invite_for_me');
    assert.deepEqual(invite?.conditions?.[2], { kind: 'event_match', key: 'state_key', pattern: '@bob:example.com' });
    const mention = bob.override.find((r) => r.rule_id === '.m.rule.is_user_mention');
    assert.deepEqual(mention?.conditions, [{ kind: 'event_property_contains', key: 'content.m\\.mentions.user_ids', value: '@bob:example.com' }]);
  });

  it('builds fresh objects on every call', () => {
    const a = defaultPushRules('@alice:example.org');
    const b = defaultPushRules('@alice:example.org');
    assert.notEqual(a.override[2]?.actions[1], b.override[2]?.actions[1]);
    assert.notEqual(a.override[2]?.actions[1], a.underride[1]?.actions[1]);
  });

  it('is JSON-safe (survives a JSON round trip unchanged)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(rules)), rules);
  });
});
