import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RelationParent, RelationSummary, SyncEvent } from '../storage/index.js';
import { isRawJson, rawJson, rawText } from '../sync/raw-json.js';
import { bundleAggregations, withBundledRelations } from './bundle-aggregations.js';

function event(eventId: string, sender: string, extra: Partial<SyncEvent> = {}): SyncEvent {
  const json = JSON.stringify({ event_id: eventId, room_id: '!r:hs.test', sender, type: 'm.room.message', content: { body: eventId }, origin_server_ts: 1 });
  return { position: 1, roomId: '!r:hs.test', eventId, type: 'm.room.message', sender, stateKey: null, membership: null, depth: 1, json, addsState: [], removesState: [], txnDeviceId: null, txnId: null, ...extra };
}

describe('withBundledRelations', () => {
  it('leaves an event without relations as it is, stored text included', () => {
    const raw = rawJson('{"event_id":"$a"}');
    assert.equal(withBundledRelations(raw, undefined), raw);
  });

  it('adds m.relations to unsigned, keeping what unsigned had', () => {
    const raw = rawJson('{"event_id":"$a","unsigned":{"age":5}}');
    const out = withBundledRelations(raw, { 'm.reference': { chunk: [{ event_id: '$b' }] } });
    assert.equal(isRawJson(out), false);
    assert.deepEqual(out, { event_id: '$a', unsigned: { age: 5, 'm.relations': { 'm.reference': { chunk: [{ event_id: '$b' }] } } } });
    assert.deepEqual(withBundledRelations({ event_id: '$c' }, { x: 1 }), { event_id: '$c', unsigned: { 'm.relations': { x: 1 } } });
    assert.equal(rawText(raw), '{"event_id":"$a","unsigned":{"age":5}}', 'the stored text is not touched');
  });
});

describe('bundleAggregations', () => {
  it('skips state events, shapes each part, and asks once more only for the latest replies', async () => {
    const root = event('$root', '@a:hs.test');
    const reply = event('$reply', '@b:hs.test');
    const editEv = event('$edit', '@a:hs.test');
    const asked: string[][] = [];
    const summaries = new Map<string, RelationSummary>([
      ['$root', { thread: { count: 4, userReplied: false, latest: reply }, edit: editEv, references: ['$r1'] }],
      ['$reply', { references: ['$r2'] }],
    ]);
    const storage = {
      relationSummaries: async (parents: readonly RelationParent[]) => {
        asked.push(parents.map((p) => p.eventId));
        return new Map(parents.flatMap((p) => (summaries.has(p.eventId) ? [[p.eventId, summaries.get(p.eventId)!] as const] : [])));
      },
    };
    const state = event('$state', '@a:hs.test', { stateKey: '' });
    const out = await bundleAggregations(storage, [root, state], '@a:hs.test');
    assert.deepEqual(asked, [['$root'], ['$reply']]);
    assert.deepEqual(out.get('$root'), {
      'm.thread': {
        latest_event: { ...(JSON.parse(reply.json) as object), unsigned: { 'm.relations': { 'm.reference': { chunk: [{ event_id: '$r2' }] } } } },
        count: 4,
        current_user_participated: true,
      },
      'm.replace': JSON.parse(editEv.json) as object,
      'm.reference': { chunk: [{ event_id: '$r1' }] },
    });
    const asOther = await bundleAggregations(storage, [root], '@c:hs.test');
    assert.equal((asOther.get('$root')!['m.thread'] as { current_user_participated: boolean }).current_user_participated, false);
  });
});
