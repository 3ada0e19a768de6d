/** The userapi API: profiles, account data and push rules. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeUserApi, rejectsWith } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;
type Rule = { rule_id: string; enabled: boolean; actions: unknown[]; default: boolean };
const ids = (rules: unknown) => (rules as Rule[]).map((r) => r.rule_id);

describeUserApi('userapi profiles, account data and push rules', (api, env) => {
  const register = (localpart: string) => api().performAccountCreation({ localpart, accountType: 'user', password: 'pw' });
  const setField = (localpart: string, field: string, value: unknown, remove?: boolean) =>
    api().performProfileUpdate({ userId: uid(localpart), field, value, remove });

  it('sets, clears and removes profile fields', async () => {
    await register('pat');
    assert.deepEqual(await setField('pat', 'displayname', 'Pat'), { profile: { displayname: 'Pat' } });
    assert.deepEqual(await setField('pat', 'avatar_url', 'mxc://test.local/abc'), {
      profile: { displayname: 'Pat', avatar_url: 'mxc://test.local/abc' },
    });
    await setField('pat', 'm.tz', 'Europe/Berlin');
    await setField('pat', 'org.example.job', { title: 'Engineer', level: 3 });
    await setField('pat', 'org.example.nothing', null);
    assert.deepEqual(await api().queryProfile({ userId: uid('pat') }), {
      found: true,
      profile: {
        displayname: 'Pat',
        avatar_url: 'mxc://test.local/abc',
        'm.tz': 'Europe/Berlin',
        'org.example.job': { title: 'Engineer', level: 3 },
        'org.example.nothing': null,
      },
    });
    await setField('pat', 'displayname', null);
    await setField('pat', 'org.example.job', undefined, true);
    await setField('pat', 'org.example.nothing', 'ignored', true);
    await setField('pat', 'avatar_url', 'ignored', true);
    assert.deepEqual((await api().queryProfile({ userId: uid('pat') })).profile, { 'm.tz': 'Europe/Berlin' });
  });

  it('enforces the spec v1.16 size limits and the classic fields’ types', async () => {
    await register('big');
    const key255 = `org.example.${'k'.repeat(255 - 'org.example.'.length)}`;
    await setField('big', key255, 1);
    await rejectsWith(setField('big', `${key255}k`, 1), 'M_KEY_TOO_LARGE');
    await rejectsWith(setField('big', 'displayname', 42), 'M_INVALID_PARAM');
    await rejectsWith(setField('big', 'displayname', 'x'.repeat(257)), 'M_INVALID_PARAM');
    await rejectsWith(setField('big', 'org.example.float', 1.5), 'M_BAD_JSON');
    // Fill to exactly 64 KiB of canonical JSON, then one byte more must fail.
    const before = JSON.stringify((await api().queryProfile({ userId: uid('big') })).profile);
    const overhead = JSON.stringify({ ...JSON.parse(before), 'org.example.pad': '' }).length;
    await setField('big', 'org.example.pad', 'p'.repeat(65_536 - overhead));
    await rejectsWith(setField('big', 'org.example.pad', 'p'.repeat(65_536 - overhead + 1)), 'M_PROFILE_TOO_LARGE');
    await rejectsWith(setField('big', 'org.example.more', 1), 'M_PROFILE_TOO_LARGE');
    await setField('big', 'org.example.pad', null, true);
    await setField('big', 'org.example.more', 1);
    await rejectsWith(setField('nobody', 'displayname', 'x'), 'M_NOT_FOUND');
    assert.deepEqual(await api().queryProfile({ userId: '@big:elsewhere' }), { found: false, profile: {} });
  });

  it('numbers account data per user and reads it globally, per room and incrementally', async () => {
    await register('ada');
    const put = (type: string, content: Record<string, unknown> | null, roomId?: string) =>
      api().performAccountDataUpdate({ userId: uid('ada'), type, content, roomId });
    const published = env.kit().published.length;
    assert.deepEqual(await put('m.direct', { '@b:test.local': ['!dm:test.local'] }), { streamPosition: 1 });
    assert.deepEqual(await put('m.tag', { tags: { 'm.favourite': {} } }, '!room:test.local'), { streamPosition: 2 });
    assert.deepEqual(await put('org.example.x', {}), { streamPosition: 3 });
    assert.deepEqual(await put('org.example.x', null), { streamPosition: 4 });

    const global = await api().queryAccountData({ userId: uid('ada') });
    assert.equal(global.streamPosition, 4);
    assert.deepEqual(
      global.entries.map((e) => [e.roomId, e.type, e.streamPosition, e.deleted]),
      [
        [null, 'm.push_rules', 0, false],
        [null, 'm.direct', 1, false],
      ],
      'the defaults stand in for push rules the user never changed; deleted entries are not shown',
    );
    const one = await api().queryAccountData({ userId: uid('ada'), type: 'm.direct' });
    assert.deepEqual(one.entries, [{ roomId: null, type: 'm.direct', content: { '@b:test.local': ['!dm:test.local'] }, streamPosition: 1, deleted: false }]);
    const room = await api().queryAccountData({ userId: uid('ada'), roomId: '!room:test.local' });
    assert.deepEqual(room.entries.map((e) => e.type), ['m.tag']);
    const all = await api().queryAccountData({ userId: uid('ada'), includeRooms: true });
    assert.deepEqual(all.entries.map((e) => e.type), ['m.push_rules', 'm.direct', 'm.tag']);
    const since = await api().queryAccountData({ userId: uid('ada'), includeRooms: true, since: 2 });
    assert.deepEqual(since, {
      entries: [{ roomId: null, type: 'org.example.x', content: {}, streamPosition: 4, deleted: true }],
      streamPosition: 4,
    });
    assert.deepEqual(await api().queryAccountData({ userId: uid('ada'), since: 4 }), { entries: [], streamPosition: 4 });
    assert.deepEqual(await api().queryAccountData({ userId: '@ada:elsewhere' }), { entries: [], streamPosition: 0 });

    await env.kit().waitForPublished(published + 4);
    const mine = env.kit().published.slice(published);
    assert.deepEqual(mine[1], { type: 'account_data', userId: uid('ada'), roomId: '!room:test.local', dataType: 'm.tag', streamPosition: 2 });
    assert.deepEqual(mine.map((m) => m.streamPosition), [1, 2, 3, 4]);
    await rejectsWith(api().performAccountDataUpdate({ userId: uid('nobody'), type: 't', content: {} }), 'M_NOT_FOUND');
  });

  it('serves the default push rules to a user who changed none', async () => {
    await register('pia');
    const { global } = await api().queryPushRules({ userId: uid('pia') });
    assert.equal(ids(global.override)[0], '.m.rule.master');
    assert.ok(ids(global.override).includes('.m.rule.is_user_mention'));
    assert.ok(ids(global.underride).includes('.m.rule.message'));
    assert.deepEqual(global.content, []);
  });

  it('stores push-rule changes as m.push_rules account data', async () => {
    await register('quin');
    const update = (kind: 'override' | 'room', ruleId: string, op: Parameters<ReturnType<typeof api>['performPushRuleUpdate']>[0]['op']) =>
      api().performPushRuleUpdate({ userId: uid('quin'), kind, ruleId, op });
    await update('override', 'mine', { type: 'put', rule: { conditions: [{ kind: 'event_match', key: 'type', pattern: 'm.call.invite' }], actions: ['notify'] } });
    await update('override', 'second', { type: 'put', rule: { conditions: [], actions: [] }, after: 'mine' });
    await update('override', '.m.rule.suppress_notices', { type: 'enabled', enabled: false });
    await update('room', '!r:test.local', { type: 'put', rule: { actions: ['notify'] } });
    await update('room', '!r:test.local', { type: 'actions', actions: [] });

    const { global } = await api().queryPushRules({ userId: uid('quin') });
    assert.deepEqual(ids(global.override).slice(0, 4), ['.m.rule.master', 'mine', 'second', '.m.rule.suppress_notices']);
    const suppress = (global.override as Rule[]).find((r) => r.rule_id === '.m.rule.suppress_notices');
    assert.equal(suppress?.enabled, false);
    assert.deepEqual(global.room, [{ rule_id: '!r:test.local', default: false, enabled: true, actions: [] }]);

    await update('override', 'second', { type: 'delete' });
    await rejectsWith(update('override', 'second', { type: 'delete' }), 'M_NOT_FOUND');
    await rejectsWith(update('override', '.m.rule.master', { type: 'delete' }), 'M_INVALID_PARAM');
    await rejectsWith(update('override', 'x', { type: 'put', rule: { conditions: [], actions: [] }, before: 'missing' }), 'M_UNKNOWN');

    const data = await api().queryAccountData({ userId: uid('quin'), type: 'm.push_rules' });
    assert.equal(data.entries.length, 1);
    const entry = data.entries[0];
    assert.equal(entry?.streamPosition, 6, 'five changes, then the delete');
    assert.deepEqual(ids((entry?.content.global as { override: unknown }).override).slice(0, 3), ['.m.rule.master', 'mine', '.m.rule.suppress_notices']);
    await rejectsWith(api().performPushRuleUpdate({ userId: uid('nobody'), kind: 'room', ruleId: '!r:x', op: { type: 'delete' } }), 'M_NOT_FOUND');
  });

  it('loses no push-rule change when several arrive at once', async () => {
    await register('rae');
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api().performPushRuleUpdate({ userId: uid('rae'), kind: 'room', ruleId: `!r${i}:test.local`, op: { type: 'put', rule: { actions: ['notify'] } } }),
      ),
    );
    const { global } = await api().queryPushRules({ userId: uid('rae') });
    assert.deepEqual(ids(global.room).sort(), Array.from({ length: 6 }, (_, i) => `!r${i}:test.local`));
  });
});
