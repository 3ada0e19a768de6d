import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import { formatEvent, syncEventFormat } from './event-format.js';
import { parseSyncFilter } from './parse-filter.js';

const pdu: JsonObject = {
  room_id: '!r:hs',
  type: 'm.room.message',
  sender: '@a:hs',
  content: { body: 'hi', msgtype: 'm.text' },
  origin_server_ts: 1000,
  depth: 4,
  auth_events: ['$c', '$p'],
  prev_events: ['$prev'],
  hashes: { sha256: 'h' },
  signatures: { hs: { 'ed25519:1': 's' } },
  unsigned: { age: 3 },
};

describe('formatEvent', () => {
  it('serves the client format with event_id and room_id by default', () => {
    assert.deepEqual(formatEvent('$e', '!r:hs', pdu, { format: 'client' }), {
      event_id: '$e',
      room_id: '!r:hs',
      type: 'm.room.message',
      sender: '@a:hs',
      content: { body: 'hi', msgtype: 'm.text' },
      origin_server_ts: 1000,
      unsigned: { age: 3 },
    });
  });

  it('leaves room_id out when asked (sync room sections)', () => {
    assert.deepEqual(formatEvent('$e', '!r:hs', pdu, { format: 'client', includeRoomId: false }), {
      event_id: '$e',
      type: 'm.room.message',
      sender: '@a:hs',
      content: { body: 'hi', msgtype: 'm.text' },
      origin_server_ts: 1000,
      unsigned: { age: 3 },
    });
  });

  it('serves the federation format as the PDU itself, room_id and all', () => {
    assert.equal(formatEvent('$e', '!r:hs', pdu, { format: 'federation' }), pdu);
    assert.equal(formatEvent('$e', '!r:hs', pdu, { format: 'federation', includeRoomId: false }), pdu);
  });

  it('applies event_fields after the format', () => {
    assert.deepEqual(formatEvent('$e', '!r:hs', pdu, { format: 'client', eventFields: ['event_id', 'content.body', 'depth'] }), {
      event_id: '$e',
      content: { body: 'hi' },
    });
    assert.deepEqual(formatEvent('$e', '!r:hs', pdu, { format: 'federation', eventFields: ['depth', 'hashes.sha256', 'event_id'] }), {
      depth: 4,
      hashes: { sha256: 'h' },
    });
  });

  it('never modifies the PDU', () => {
    const before = JSON.stringify(pdu);
    formatEvent('$e', '!r:hs', pdu, { format: 'client', includeRoomId: false, eventFields: ['content.body'] });
    assert.equal(JSON.stringify(pdu), before);
  });
});

describe('syncEventFormat', () => {
  it('takes format and fields from the filter and drops room_id', () => {
    assert.deepEqual(syncEventFormat(parseSyncFilter({})), { format: 'client', includeRoomId: false, eventFields: undefined });
    assert.deepEqual(syncEventFormat(parseSyncFilter({ event_format: 'federation', event_fields: ['type'] })), {
      format: 'federation',
      includeRoomId: false,
      eventFields: ['type'],
    });
  });
});
