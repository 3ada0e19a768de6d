/** The userapi's OpenID token storage, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openUserStorage, type UserStorage } from '../../src/userapi/storage/index.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

describeEachBackend('userapi OpenID token storage', (ctx) => {
  describe('userapi_openid_tokens', () => suite(ctx));
});

const T = 1_700_000_000_000;

function suite(ctx: BackendContext): void {
  let s: UserStorage;
  before(async () => {
    s = await openUserStorage(await ctx.open());
  });

  it('finds a token by its hash until it expires, as often as asked', async () => {
    await s.addOpenIdToken('hash-ann', 'ann', T + 1000, T);
    assert.equal(await s.getOpenIdToken('hash-ann', T), 'ann');
    assert.equal(await s.getOpenIdToken('hash-ann', T + 999), 'ann');
    assert.equal(await s.getOpenIdToken('hash-ann', T + 999), 'ann', 'a token is not used up');
    assert.equal(await s.getOpenIdToken('hash-ann', T + 1000), undefined, 'expired at expires_ts');
    assert.equal(await s.getOpenIdToken('hash-other', T), undefined);
  });

  it('keeps several tokens per user apart', async () => {
    await s.addOpenIdToken('hash-bo-1', 'bo', T + 5000, T);
    await s.addOpenIdToken('hash-bo-2', 'bo', T + 9000, T);
    await s.addOpenIdToken('hash-cy', 'cy', T + 9000, T);
    assert.equal(await s.getOpenIdToken('hash-bo-1', T + 6000), undefined);
    assert.equal(await s.getOpenIdToken('hash-bo-2', T + 6000), 'bo');
    assert.equal(await s.getOpenIdToken('hash-cy', T + 6000), 'cy');
  });

  it('drops expired tokens when a new one is stored, so the table does not grow forever', async () => {
    await s.addOpenIdToken('hash-dee', 'dee', T + 100, T);
    // Stored later, past dee's expiry: dee's row goes; found even if the clock were wound back.
    await s.addOpenIdToken('hash-eve', 'eve', T + 10_000, T + 200);
    assert.equal(await s.getOpenIdToken('hash-dee', T), undefined);
    assert.equal(await s.getOpenIdToken('hash-eve', T + 200), 'eve');
  });

  it('refuses a second token with the same hash', async () => {
    await s.addOpenIdToken('hash-fay', 'fay', T + 1000, T);
    await assert.rejects(s.addOpenIdToken('hash-fay', 'gus', T + 1000, T));
    assert.equal(await s.getOpenIdToken('hash-fay', T), 'fay');
  });
}
