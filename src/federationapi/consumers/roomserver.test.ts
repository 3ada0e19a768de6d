import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outboundPdu } from './roomserver.js';

describe('outboundPdu', () => {
  it('strips local-only unsigned keys and keeps stripped state', () => {
    const base = { type: 'm.room.member', state_key: '@c:b.test', content: { membership: 'invite' } };
    const invite = [{ type: 'm.room.name', state_key: '', sender: '@a:a.test', content: { name: 'R' } }];
    assert.deepEqual(
      outboundPdu({ ...base, unsigned: { transaction_id: 't', age: 5, age_ts: 1, redacted_because: {}, membership: 'join', prev_content: {}, invite_room_state: invite } }),
      { ...base, unsigned: { invite_room_state: invite } },
    );
    assert.deepEqual(outboundPdu({ ...base, unsigned: { transaction_id: 't', age: 5 } }), base);
    assert.deepEqual(outboundPdu(base), base);
    assert.deepEqual(outboundPdu({ ...base, unsigned: 'junk' }), { ...base, unsigned: 'junk' });
  });
});
