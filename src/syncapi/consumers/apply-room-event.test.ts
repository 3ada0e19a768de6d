import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientForm } from './apply-room-event.js';

describe('clientForm', () => {
  it('keeps an invite\'s stripped state apart, followed by the invite itself stripped', () => {
    const pdu = {
      type: 'm.room.member',
      state_key: '@b:hs.test',
      sender: '@a:hs.test',
      content: { membership: 'invite' },
      origin_server_ts: 5,
      depth: 3,
      hashes: { sha256: 'x' },
      unsigned: { invite_room_state: [{ type: 'm.room.name', state_key: '', sender: '@a:hs.test', content: { name: 'N' } }], age: 1 },
    };
    const { json, stripped } = clientForm('$e', '!r:hs.test', pdu);
    assert.deepEqual(JSON.parse(json), {
      event_id: '$e',
      room_id: '!r:hs.test',
      sender: '@a:hs.test',
      type: 'm.room.member',
      state_key: '@b:hs.test',
      content: { membership: 'invite' },
      origin_server_ts: 5,
      unsigned: { age: 1 },
    });
    assert.deepEqual(JSON.parse(stripped!), [
      { type: 'm.room.name', state_key: '', sender: '@a:hs.test', content: { name: 'N' } },
      { type: 'm.room.member', state_key: '@b:hs.test', sender: '@a:hs.test', content: { membership: 'invite' } },
    ]);
  });

  it('leaves other events alone', () => {
    const { json, stripped } = clientForm('$m', '!r:hs.test', { type: 'm.room.message', sender: '@a:hs.test', content: { body: 'x' }, origin_server_ts: 1 });
    assert.equal(stripped, null);
    assert.deepEqual(JSON.parse(json), { event_id: '$m', room_id: '!r:hs.test', sender: '@a:hs.test', type: 'm.room.message', content: { body: 'x' }, origin_server_ts: 1 });
  });

  it('shows what a state event replaced at its key in unsigned', () => {
    const pdu = { type: 'm.room.name', state_key: '', sender: '@b:hs.test', content: { name: 'New' }, origin_server_ts: 7, unsigned: { age: 2 } };
    const { json } = clientForm('$n2', '!r:hs.test', pdu, { eventId: '$n1', sender: '@a:hs.test', content: { name: 'Old' } });
    assert.deepEqual(JSON.parse(json), {
      event_id: '$n2',
      room_id: '!r:hs.test',
      sender: '@b:hs.test',
      type: 'm.room.name',
      state_key: '',
      content: { name: 'New' },
      origin_server_ts: 7,
      unsigned: { age: 2, replaces_state: '$n1', prev_content: { name: 'Old' }, prev_sender: '@a:hs.test' },
    });
  });
});
