import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import { isRawJson, rawText } from './raw-json.js';
import { clientEventServing, serveEvent, withoutRoomId, type EventServing } from './serve-event.js';

const ROOM = '!r:hs.test';
const NOW = 1_700_000_010_000;
const client = (extra: JsonObject = {}): string =>
  JSON.stringify({ event_id: '$e', room_id: ROOM, sender: '@a:hs.test', type: 'm.room.message', content: { body: 'hi', nested: { origin_server_ts: 5 } }, origin_server_ts: NOW - 1_000, ...extra });
const serving = (over: Partial<EventServing['format']> = {}, pdus = new Map<string, JsonObject>()): EventServing => ({
  format: { format: 'client', includeRoomId: false, ...over },
  now: NOW,
  pdus,
});
const asObject = (v: ReturnType<typeof serveEvent>): JsonObject => (isRawJson(v) ? (JSON.parse(rawText(v)) as JsonObject) : v);

describe('serveEvent', () => {
  it('splices the stored text: room_id dropped, unsigned appended with age, membership and transaction_id', () => {
    const out = serveEvent('$e', ROOM, client(), { membership: 'join', transactionId: 't1' }, serving());
    assert.ok(isRawJson(out), 'not parsed');
    assert.deepEqual(asObject(out), {
      event_id: '$e',
      sender: '@a:hs.test',
      type: 'm.room.message',
      content: { body: 'hi', nested: { origin_server_ts: 5 } },
      origin_server_ts: NOW - 1_000,
      unsigned: { age: 1_000, membership: 'join', transaction_id: 't1' },
    });
  });

  it('keeps room_id when asked, and state keys with quotes intact', () => {
    const text = client({ state_key: 'x","origin_server_ts":1' });
    const out = asObject(serveEvent('$e', ROOM, text, {}, serving({ includeRoomId: true })));
    assert.deepEqual([out.room_id, out.state_key, out.unsigned], [ROOM, 'x","origin_server_ts":1', { age: 1_000 }]);
  });

  it('parses an event that has unsigned already, keeping what it holds', () => {
    const out = serveEvent('$e', ROOM, client({ unsigned: { redacted_because: { event_id: '$r' } } }), { membership: 'leave' }, serving());
    assert.equal(isRawJson(out), false);
    assert.deepEqual(asObject(out).unsigned, { redacted_because: { event_id: '$r' }, age: 1_000, membership: 'leave' });
    assert.equal('room_id' in asObject(out), false);
  });

  it('applies event_fields', () => {
    const out = serveEvent('$e', ROOM, client(), { membership: 'join' }, serving({ eventFields: ['type', 'content.body', 'unsigned.membership'] }));
    assert.deepEqual(out, { type: 'm.room.message', content: { body: 'hi' }, unsigned: { membership: 'join' } });
  });

  it('serves the PDU in the federation format, falling back to the client form when it is missing', () => {
    const pdu: JsonObject = { room_id: ROOM, type: 'm.room.message', sender: '@a:hs.test', content: { body: 'hi' }, origin_server_ts: NOW - 5, depth: 3, hashes: { sha256: 'x' }, unsigned: { k: 1 } };
    const s = serving({ format: 'federation' }, new Map([['$e', pdu]]));
    assert.deepEqual(serveEvent('$e', ROOM, client(), { transactionId: 't' }, s), { ...pdu, unsigned: { k: 1, age: 5, transaction_id: 't' } });
    assert.equal(pdu.unsigned && (pdu.unsigned as JsonObject).age, undefined, 'the PDU itself is untouched');
    assert.equal(asObject(serveEvent('$other', ROOM, client(), {}, s)).event_id, '$e');
  });

  it('never serves a negative age (a sender clock ahead of ours), on either path', () => {
    const ahead = client({ origin_server_ts: NOW + 5_000 });
    assert.deepEqual(asObject(serveEvent('$e', ROOM, ahead, {}, serving())).unsigned, { age: 0 });
    assert.deepEqual(asObject(serveEvent('$e', ROOM, client({ origin_server_ts: NOW + 5_000, unsigned: { x: 1 } }), {}, serving())).unsigned, { x: 1, age: 0 });
  });

  it('clientEventServing: the client form with room_id, m.relations spliced in without parsing', () => {
    const out = serveEvent('$e', ROOM, client(), { membership: 'join', relations: { 'm.reference': { chunk: [{ event_id: '$r' }] } } }, clientEventServing(NOW));
    assert.ok(isRawJson(out), 'not parsed');
    const ev = asObject(out);
    assert.deepEqual([ev.room_id, ev.unsigned], [ROOM, { age: 1_000, membership: 'join', 'm.relations': { 'm.reference': { chunk: [{ event_id: '$r' }] } } }]);
  });

  it('withoutRoomId only cuts the prefix toClientEvent writes', () => {
    assert.equal(withoutRoomId('{"event_id":"$a\\"b","room_id":"!r","type":"x"}'), '{"event_id":"$a\\"b","type":"x"}');
    assert.equal(withoutRoomId('{"type":"x","event_id":"$a","room_id":"!r"}'), undefined);
  });
});
