import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rawJson } from '../sync/raw-json.js';
import { emptySyncResponse, joinedRoom } from '../sync/sync-response.js';
import { flattenSideEvents } from './legacy-streams.js';

describe('flattenSideEvents', () => {
  it('gives ephemeral and room account data events their room_id, keeps global account data, adds user_id to presence', () => {
    const res = emptySyncResponse();
    joinedRoom(res, '!a').ephemeral.events.push({ type: 'm.typing', content: { user_ids: ['@x:hs'] } });
    joinedRoom(res, '!a').account_data.events.push(rawJson('{"type":"m.tag","content":{"tags":{}}}'));
    joinedRoom(res, '!b').ephemeral.events.push({ type: 'm.receipt', content: {} });
    res.account_data.events.push({ type: 'org.example', content: { k: 1 } });
    res.presence.events.push({ type: 'm.presence', sender: '@x:hs', content: { presence: 'online' } });
    assert.deepEqual(flattenSideEvents(res), [
      { type: 'm.typing', content: { user_ids: ['@x:hs'] }, room_id: '!a' },
      { type: 'm.tag', content: { tags: {} }, room_id: '!a' },
      { type: 'm.receipt', content: {}, room_id: '!b' },
      { type: 'org.example', content: { k: 1 } },
      { type: 'm.presence', sender: '@x:hs', content: { presence: 'online', user_id: '@x:hs' } },
    ]);
  });

  it('is empty for an empty response', () => {
    assert.deepEqual(flattenSideEvents(emptySyncResponse()), []);
  });
});
