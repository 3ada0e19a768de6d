import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncEvent } from '../storage/index.js';
import { historyEvent, servedJson } from './history-event.js';

const stored = (over: Partial<SyncEvent> = {}): SyncEvent => ({
  position: 7,
  roomId: '!r:hs',
  eventId: '$e',
  type: 'm.room.message',
  sender: '@a:hs',
  stateKey: null,
  membership: null,
  depth: 3,
  json: JSON.stringify({ event_id: '$e', room_id: '!r:hs', sender: '@a:hs', type: 'm.room.message', content: { body: 'hi' }, origin_server_ts: 1_000, unsigned: { prev_content: { x: 1 } } }),
  addsState: [],
  removesState: [],
  txnDeviceId: 'DEV',
  txnId: 'txn-1',
  ...over,
});

describe('historyEvent', () => {
  it('adds unsigned.age, keeps the stored unsigned keys, echoes the transaction ID to the sending device only', () => {
    const own = historyEvent(stored(), { userId: '@a:hs', deviceId: 'DEV' }, 1_250);
    assert.deepEqual(own.unsigned, { prev_content: { x: 1 }, age: 250, transaction_id: 'txn-1' });
    assert.deepEqual(own.content, { body: 'hi' });
    assert.deepEqual(historyEvent(stored(), { userId: '@a:hs', deviceId: 'OTHER' }, 1_250).unsigned, { prev_content: { x: 1 }, age: 250 });
    assert.deepEqual(historyEvent(stored(), { userId: '@b:hs', deviceId: 'DEV' }, 1_250).unsigned, { prev_content: { x: 1 }, age: 250 });
  });

  it('creates unsigned when absent (none when there is nothing to put in it) and never serves a negative age (clock skew)', () => {
    const json = JSON.stringify({ event_id: '$e', type: 't', content: {}, origin_server_ts: 5_000 });
    assert.deepEqual(servedJson(json, 4_000, null), { event_id: '$e', type: 't', content: {}, origin_server_ts: 5_000, unsigned: { age: 0 } });
    assert.deepEqual(servedJson(JSON.stringify({ event_id: '$e' }), 4_000, 'x'), { event_id: '$e', unsigned: { transaction_id: 'x' } });
    assert.deepEqual(servedJson(JSON.stringify({ event_id: '$e' }), 4_000, null), { event_id: '$e' });
  });
});
