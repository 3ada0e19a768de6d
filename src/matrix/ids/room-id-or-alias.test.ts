import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseRoomIdOrAlias } from './room-id-or-alias.js';

it('tells room IDs from aliases and refuses anything else with M_INVALID_PARAM', () => {
  assert.deepEqual(parseRoomIdOrAlias('!abc:hs.test'), { roomId: '!abc:hs.test' });
  assert.deepEqual(parseRoomIdOrAlias('#room:other.test:8448'), { alias: '#room:other.test:8448', serverName: 'other.test:8448' });
  for (const bad of ['garbage', '!', '#nocolon', '@user:hs.test', '']) {
    assert.throws(() => parseRoomIdOrAlias(bad), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_INVALID_PARAM', bad);
  }
});
