import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { encodeStreamToken, maxPositions, parseStreamToken, STREAM_NAMES, ZERO_POSITIONS } from './stream-token.js';

describe('stream tokens', () => {
  it('writes one position per stream in the fixed order and reads it back', () => {
    const p = { ...ZERO_POSITIONS, pdu: 12, account_data: 3, presence: 9 };
    assert.equal(encodeStreamToken(p), 's12_0_0_0_0_3_0_0_9');
    assert.deepEqual(parseStreamToken('s12_0_0_0_0_3_0_0_9'), p);
    assert.equal(STREAM_NAMES.length, 9);
  });

  it('reads a shorter token (from before a stream was added) with the missing streams at 0', () => {
    assert.deepEqual(parseStreamToken('s5_1'), { ...ZERO_POSITIONS, pdu: 5, typing: 1 });
  });

  it('refuses anything else with M_INVALID_PARAM', () => {
    for (const bad of ['', 's', 'x1', 's1_', 's_1', 's01', 's1_-1', 's+1', 's1.5', 's1_0_0_0_0_0_0_0_0_0', 's99999999999999999', 't1_2', ' s1']) {
      assert.throws(() => parseStreamToken(bad), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_INVALID_PARAM' && e.status === 400, bad);
    }
  });

  it('takes the greater position per stream', () => {
    assert.deepEqual(maxPositions({ ...ZERO_POSITIONS, pdu: 3, typing: 7 }, { ...ZERO_POSITIONS, pdu: 5 }), { ...ZERO_POSITIONS, pdu: 5, typing: 7 });
  });
});
