import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toClientEvent } from './client-event.js';

describe('toClientEvent', () => {
  it('keeps the client fields, adds event_id and room_id, drops the federation fields', () => {
    const pdu = {
      type: 'm.room.create',
      state_key: '',
      sender: '@a:hs',
      content: { room_version: '12' },
      origin_server_ts: 5,
      auth_events: [],
      prev_events: [],
      depth: 1,
      hashes: { sha256: 'x' },
      signatures: { hs: { 'ed25519:k': 'y' } },
      unsigned: { age_ts: 3 },
    };
    assert.deepEqual(toClientEvent('$e', '!r', pdu), {
      event_id: '$e',
      room_id: '!r',
      sender: '@a:hs',
      type: 'm.room.create',
      state_key: '',
      content: { room_version: '12' },
      origin_server_ts: 5,
      unsigned: { age_ts: 3 },
    });
  });

  it('omits state_key for messages and empty unsigned, keeps a top-level redacts', () => {
    const ev = toClientEvent('$r', '!r:hs', { type: 'm.room.redaction', sender: '@a:hs', content: {}, redacts: '$t', origin_server_ts: 1, unsigned: {}, room_id: '!r:hs' });
    assert.deepEqual(ev, { event_id: '$r', room_id: '!r:hs', sender: '@a:hs', type: 'm.room.redaction', content: {}, origin_server_ts: 1, redacts: '$t' });
  });
});
