import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { decodeSearchToken, encodeSearchToken, type SearchBatch } from './search-token.js';

describe('search next_batch tokens', () => {
  it('round-trip exactly, ranks included, with and without a scope', () => {
    const batches: SearchBatch[] = [
      { order: 'rank', after: { rank: 0.1 + 0.2, position: 42 }, maxPosition: 99, scope: {} },
      { order: 'recent', after: { rank: 1e-7, position: 0 }, maxPosition: 0, scope: { roomId: '!r:hs' } },
      { order: 'rank', after: { rank: 3, position: 7 }, maxPosition: 8, scope: { roomId: '!r:hs', sender: '@ü:hs' } },
    ];
    for (const b of batches) {
      const token = encodeSearchToken(b);
      assert.match(token, /^[A-Za-z0-9_-]+$/);
      assert.deepEqual(decodeSearchToken(token), b);
    }
  });

  it('refuses anything this server did not write with 400 M_INVALID_PARAM', () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad = [
      '',
      'not a token',
      'YWxsCgpOb25lLDM1ODcwOA',
      enc([1]),
      enc({ o: 'oldest', r: 1, p: 1, m: 1 }),
      enc({ o: 'rank', r: 'x', p: 1, m: 1 }),
      enc({ o: 'rank', r: 1, p: -1, m: 1 }),
      enc({ o: 'rank', r: 1, p: 1.5, m: 1 }),
      enc({ o: 'rank', r: 1, p: 1 }),
      enc({ o: 'rank', r: 1, p: 1, m: 1, g: { room_id: 5 } }),
      enc({ o: 'rank', r: 1, p: 1, m: 1, g: 'x' }),
    ];
    for (const token of bad) {
      assert.throws(
        () => decodeSearchToken(token),
        (e: unknown) => e instanceof MatrixError && e.errcode === 'M_INVALID_PARAM' && e.status === 400,
        token,
      );
    }
  });
});
