import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { encodeTopologicalToken, parsePaginationToken } from './pagination-token.js';

describe('pagination tokens', () => {
  it('round-trips a topological token and reads a sync token as its pdu position', () => {
    assert.equal(encodeTopologicalToken(42, 1007), 't42_1007');
    assert.deepEqual(parsePaginationToken('t42_1007'), { kind: 'topological', depth: 42, position: 1007 });
    assert.deepEqual(parsePaginationToken('s17_0_0_0_0_4_0_0_0'), { kind: 'stream', position: 17 });
  });

  it('refuses malformed tokens with M_INVALID_PARAM', () => {
    for (const bad of ['t', 't1', 't1_', 't01_2', 't1_2_3', 'tx_1', 'u1_1', '', 's1_x']) {
      assert.throws(() => parsePaginationToken(bad), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_INVALID_PARAM', bad);
    }
  });
});
