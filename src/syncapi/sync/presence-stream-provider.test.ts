import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncPresence } from '../storage/index.js';
import { presenceEvent } from './presence-stream-provider.js';

const base: SyncPresence = {
  position: 3,
  userId: '@a:hs',
  presence: 'online',
  statusMsg: null,
  lastActiveTs: 10_000,
  currentlyActive: true,
  sourcePosition: 7,
};

describe('presenceEvent', () => {
  it('online: last_active_ago counted to now, currently_active, no status_msg when unset', () => {
    assert.deepEqual(presenceEvent(base, 12_500), {
      type: 'm.presence',
      sender: '@a:hs',
      content: { presence: 'online', last_active_ago: 2500, currently_active: true },
    });
  });

  it('unavailable with a status: no currently_active; never active: no last_active_ago', () => {
    assert.deepEqual(presenceEvent({ ...base, presence: 'unavailable', statusMsg: 'away', lastActiveTs: null, currentlyActive: false }, 12_500), {
      type: 'm.presence',
      sender: '@a:hs',
      content: { presence: 'unavailable', status_msg: 'away' },
    });
  });

  it('a last activity stamped after now (another clock) reads as 0 ago', () => {
    assert.deepEqual(presenceEvent({ ...base, currentlyActive: false }, 9_000).content, { presence: 'online', last_active_ago: 0, currently_active: false });
  });
});
