/** The userapi's filter storage, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openUserStorage, type UserStorage } from '../../src/userapi/storage/index.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

describeEachBackend('userapi filter storage', (ctx) => {
  describe('userapi_filters', () => suite(ctx));
});

function suite(ctx: BackendContext): void {
  let s: UserStorage;
  before(async () => {
    s = await openUserStorage(await ctx.open());
  });

  it('stores filters and reads them back by ID, per user', async () => {
    const a1 = await s.putFilter('ann', '{"room":{"timeline":{"limit":5}}}');
    const a2 = await s.putFilter('ann', '{"presence":{"types":[]}}');
    const b1 = await s.putFilter('bo', '{"room":{"timeline":{"limit":5}}}');
    assert.match(a1, /^[0-9]+$/);
    assert.equal(new Set([a1, a2, b1]).size, 3, 'each user and filter gets its own ID');
    assert.equal(await s.getFilter('ann', a1), '{"room":{"timeline":{"limit":5}}}');
    assert.equal(await s.getFilter('ann', a2), '{"presence":{"types":[]}}');
    assert.equal(await s.getFilter('bo', b1), '{"room":{"timeline":{"limit":5}}}');
  });

  it('gives the same JSON the same ID again', async () => {
    const first = await s.putFilter('cy', '{"event_format":"client"}');
    const again = await s.putFilter('cy', '{"event_format":"client"}');
    assert.equal(again, first);
    const other = await s.putFilter('cy', '{"event_format":"federation"}');
    assert.notEqual(other, first);
    assert.equal(await s.putFilter('cy', '{"event_format":"client"}'), first);
  });

  it('gives racing uploads of one filter one ID', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => s.putFilter('dee', '{"room":{"include_leave":true}}')));
    assert.equal(new Set(ids).size, 1);
    assert.equal(await s.getFilter('dee', ids[0]!), '{"room":{"include_leave":true}}');
  });

  it("never returns another user's filter, unknown IDs or malformed ones", async () => {
    const id = await s.putFilter('eve', '{"account_data":{}}');
    assert.equal(await s.getFilter('fay', id), undefined);
    const unknown = String(Number(id) + 1000);
    for (const bad of [unknown, '', 'abc', `0${id}`, `${id}.0`, '1e3', '-1', ' 1', '99999999999999999999', `{"x":1}`]) {
      assert.equal(await s.getFilter('eve', bad), undefined, JSON.stringify(bad));
    }
  });

  it('keeps long filters (the unique index is on the hash, not the text)', async () => {
    const long = JSON.stringify({ room: { not_rooms: Array.from({ length: 400 }, (_, i) => `!room${i}:example.org`) } });
    assert.ok(long.length > 8000);
    const id = await s.putFilter('gus', long);
    assert.equal(await s.putFilter('gus', long), id);
    assert.equal(await s.getFilter('gus', id), long);
  });
}
